// User-facing strings of the playground bar: Indonesian by default, English on request.

/** Supported UI languages. */
export type Lang = 'id' | 'en';

const STORAGE_KEY = 'pantau.playground.lang';

const id = {
  email: 'Email',
  /** An example of the form, not a value (it must not look filled in). */
  emailPlaceholder: 'Email, mis. nama@kota.go.id',
  password: 'Kata sandi',
  login: 'Masuk',
  loggingIn: 'Sedang masuk…',
  logout: 'Keluar',
  loggedInAs: 'Masuk sebagai',
  notLoggedIn: 'Belum masuk — kueri dikirim tanpa token.',
  networkError: 'Tidak dapat menghubungi server',
  noToken: 'Server tidak mengembalikan token.',
  switchLang: 'English',
  switchLangTitle: 'Switch the interface to English',
};

/** Shape of a translation table (Indonesian is the reference). */
export type Strings = typeof id;

const en: Strings = {
  email: 'Email',
  emailPlaceholder: 'Email, e.g. name@city.go.id',
  password: 'Password',
  login: 'Log in',
  loggingIn: 'Logging in…',
  logout: 'Log out',
  loggedInAs: 'Logged in as',
  notLoggedIn: 'Not logged in — queries are sent without a token.',
  networkError: 'Could not reach the server',
  noToken: 'The server returned no token.',
  switchLang: 'Bahasa Indonesia',
  switchLangTitle: 'Ganti tampilan ke Bahasa Indonesia',
};

/** Translation tables keyed by language. */
export const STRINGS: Record<Lang, Strings> = { id, en };

/** Reads the stored language choice, defaulting to Indonesian. */
export function loadLang(): Lang {
  return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'id';
}

/** Persists the language choice and updates <html lang>. */
export function saveLang(lang: Lang): void {
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
}
