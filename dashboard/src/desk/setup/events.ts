// What the setup pages share with the rest of the desk (kept tiny: the desk's menu imports it
// statically, the pages themselves load on first use).

/** Fired on window when the city's name or OPDs changed, so the desk re-reads what its header shows. */
export const CITY_BASE_EVENT = 'pantau-city-base';
