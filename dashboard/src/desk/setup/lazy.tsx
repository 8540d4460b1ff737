// The setup pages load on first use (a reporter's desk never downloads them); this is what the
// desk's menu imports instead.
import type { ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { SetupPageProps } from './page';

/** "Pengaturan kota", loaded when first opened. */
export function LazySetupPage(props: SetupPageProps): JSX.Element {
  const [Page, setPage] = useState<ComponentType<SetupPageProps> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    import('./page').then((m) => setPage(() => m.SetupPage)).catch(() => setFailed(true));
  }, []);
  if (Page) return <Page {...props} />;
  return (
    <p role={failed ? 'alert' : 'status'}>
      {failed
        ? props.ctx.lang === 'en'
          ? 'The page could not be loaded. Check the network, then reload.'
          : 'Halaman tidak dapat dimuat. Periksa jaringan, lalu muat ulang.'
        : props.ctx.lang === 'en'
          ? 'Loading…'
          : 'Memuat…'}
    </p>
  );
}
