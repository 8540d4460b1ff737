// The new-city form on the city picker (a platform admin right after login, also with no city at
// all yet), loaded only when asked for. It brings the desk's styles with it.
import type { JSX } from 'preact';
import '../desk.css';
import './setup.css';
import { NewCityForm, type NewCityProps } from './new-city';

/** The form, in the desk's light layout. */
export function PickerNewCity(props: NewCityProps): JSX.Element {
  return (
    <div class="dk su-picker">
      <NewCityForm {...props} />
    </div>
  );
}
