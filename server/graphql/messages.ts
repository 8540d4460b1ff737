// Indonesian for graphql-js's own messages (validation, variable coercion, syntax, operation
// choice), recognised by their English pattern. graphql-js writes them in English only; the
// pipeline's `formatError` uses this for both transports, keeping the English in
// `extensions.originalMessage`. Patterns follow graphql 16.

/** `"X"`, `"X" atau "Y"`: graphql-js's quoted-list " or " and ", " joined in Indonesian. */
function orList(list: string): string {
  return list.replace(/, or /g, ' atau ').replace(/ or /g, ' atau ');
}

type Rule = [RegExp, (...groups: string[]) => string];

/** The value/type reasons that follow `; ` in a variable error, and appear alone in literal errors. */
const REASONS: Rule[] = [
  [/^Expected value of type "(.+?)", found (.+?)\.$/s, (t, v) => `Diharapkan nilai bertipe "${t}", ditemukan ${v}.`],
  [/^Expected value of type "(.+?)", found (.+?); (.+)$/s, (t, v, r) => `Diharapkan nilai bertipe "${t}", ditemukan ${v}; ${reason(r)}`],
  [/^Expected type "(.+?)" to be an object\.$/, (t) => `Diharapkan tipe "${t}" berupa objek.`],
  [/^Expected type "(.+?)"\. (.+)$/s, (t, r) => `Diharapkan tipe "${t}". ${reason(r)}`],
  [/^Expected type "(.+?)"\.$/, (t) => `Diharapkan tipe "${t}".`],
  [/^Field "(.+?)" of required type "(.+?)" was not provided\.$/, (f, t) => `Field "${f}" bertipe wajib "${t}" tidak diisi.`],
  [/^Field "(.+?)" is not defined by type "(.+?)"\.$/, (f, t) => `Field "${f}" tidak ada pada tipe "${t}".`],
  [/^Value "(.+?)" does not exist in "(.+?)" enum\.$/, (v, e) => `Nilai "${v}" tidak ada dalam enum "${e}".`],
  [
    /^Enum "(.+?)" cannot represent non-enum value: (.+?)\.$/s,
    (e, v) => `Enum "${e}" tidak dapat menyatakan nilai yang bukan anggota enum: ${v}.`,
  ],
  [
    /^Enum "(.+?)" cannot represent non-string value: (.+?)\.$/s,
    (e, v) => `Enum "${e}" tidak dapat menyatakan nilai yang bukan string: ${v}.`,
  ],
  [/^String cannot represent a non string value: (.+)$/s, (v) => `String tidak dapat menyatakan nilai yang bukan string: ${v}`],
  [/^Int cannot represent non-integer value: (.+)$/s, (v) => `Int tidak dapat menyatakan nilai yang bukan bilangan bulat: ${v}`],
  [
    /^Int cannot represent non 32-bit signed integer value: (.+)$/s,
    (v) => `Int tidak dapat menyatakan nilai di luar bilangan bulat 32-bit: ${v}`,
  ],
  [/^Float cannot represent non numeric value: (.+)$/s, (v) => `Float tidak dapat menyatakan nilai yang bukan angka: ${v}`],
  [/^Boolean cannot represent a non boolean value: (.+)$/s, (v) => `Boolean tidak dapat menyatakan nilai yang bukan boolean: ${v}`],
  [/^ID cannot represent value: (.+)$/s, (v) => `ID tidak dapat menyatakan nilai: ${v}`],
  [
    /^ID cannot represent a non-string and non-integer value: (.+)$/s,
    (v) => `ID tidak dapat menyatakan nilai yang bukan string atau bilangan bulat: ${v}`,
  ],
  [/^Expected non-nullable type "(.+?)" not to be null\.$/, (t) => `Tipe "${t}" tidak boleh null.`],
];

function reason(text: string): string {
  for (const [re, to] of REASONS) {
    const m = re.exec(text);
    if (m) return to(...m.slice(1));
  }
  return text;
}

const RULES: Rule[] = [
  [/^Syntax Error: Expected (.+?), found (.+?)\.$/s, (a, b) => `Kesalahan sintaksis: diharapkan ${a}, ditemukan ${b}.`],
  [/^Syntax Error: Unexpected (.+?)\.$/s, (a) => `Kesalahan sintaksis: ${a} tidak diharapkan di sini.`],
  [/^Syntax Error: Unterminated string\.$/, () => 'Kesalahan sintaksis: string tidak ditutup.'],
  [/^Syntax Error: (.+)$/s, (a) => `Kesalahan sintaksis: ${a}`],
  [/^Cannot query field "(.+?)" on type "(.+?)"\.$/, (f, t) => `Field "${f}" tidak ada pada tipe "${t}".`],
  [/^Unknown argument "(.+?)" on field "(.+?)"\.$/, (a, f) => `Argumen "${a}" tidak dikenal pada field "${f}".`],
  [/^Unknown argument "(.+?)" on directive "(.+?)"\.$/, (a, d) => `Argumen "${a}" tidak dikenal pada direktif "${d}".`],
  [
    /^Field "(.+?)" argument "(.+?)" of type "(.+?)" is required, but it was not provided\.$/,
    (f, a, t) => `Argumen "${a}" bertipe "${t}" pada field "${f}" wajib diisi, tetapi tidak diberikan.`,
  ],
  [
    /^Directive "(.+?)" argument "(.+?)" of type "(.+?)" is required, but it was not provided\.$/,
    (d, a, t) => `Argumen "${a}" bertipe "${t}" pada direktif "${d}" wajib diisi, tetapi tidak diberikan.`,
  ],
  [
    /^Field "(.+?)" must not have a selection since type "(.+?)" has no subfields\.$/,
    (f, t) => `Field "${f}" tidak boleh memiliki pilihan field karena tipe "${t}" tidak punya subfield.`,
  ],
  [/^Field "(.+?)" of type "(.+?)" must have a selection of subfields\.$/, (f, t) => `Field "${f}" bertipe "${t}" harus memilih subfield.`],
  [
    /^Variable "(.+?)" of type "(.+?)" used in position expecting type "(.+?)"\.$/,
    (v, a, b) => `Variabel "${v}" bertipe "${a}" dipakai di tempat yang mengharapkan tipe "${b}".`,
  ],
  [/^Variable "(.+?)" is not defined by operation "(.+?)"\.$/, (v, o) => `Variabel "${v}" tidak didefinisikan oleh operasi "${o}".`],
  [/^Variable "(.+?)" is not defined\.$/, (v) => `Variabel "${v}" tidak didefinisikan.`],
  [/^Variable "(.+?)" is never used in operation "(.+?)"\.$/, (v, o) => `Variabel "${v}" tidak pernah dipakai dalam operasi "${o}".`],
  [/^Variable "(.+?)" is never used\.$/, (v) => `Variabel "${v}" tidak pernah dipakai.`],
  [/^Variable "(.+?)" cannot be non-input type "(.+?)"\.$/, (v, t) => `Variabel "${v}" tidak boleh bertipe "${t}" yang bukan tipe input.`],
  [/^There can be only one variable named "(.+?)"\.$/, (v) => `Hanya boleh ada satu variabel bernama "${v}".`],
  [/^Variable "(.+?)" of required type "(.+?)" was not provided\.$/, (v, t) => `Variabel "${v}" bertipe wajib "${t}" tidak diberikan.`],
  [/^Variable "(.+?)" of non-null type "(.+?)" must not be null\.$/, (v, t) => `Variabel "${v}" bertipe non-null "${t}" tidak boleh null.`],
  [
    /^Variable "(.+?)" got invalid value (.+?) at "(.+?)"; (.+)$/s,
    (v, val, at, r) => `Variabel "${v}" mendapat nilai tidak sah ${val} pada "${at}"; ${reason(r)}`,
  ],
  [/^Variable "(.+?)" got invalid value (.+?); (.+)$/s, (v, val, r) => `Variabel "${v}" mendapat nilai tidak sah ${val}; ${reason(r)}`],
  [/^Unknown type "(.+?)"\.$/, (t) => `Tipe "${t}" tidak dikenal.`],
  [/^Unknown directive "(.+?)"\.$/, (d) => `Direktif "${d}" tidak dikenal.`],
  [/^The directive "(.+?)" can only be used once at this location\.$/, (d) => `Direktif "${d}" hanya boleh dipakai sekali di sini.`],
  [/^Directive "(.+?)" may not be used on (.+?)\.$/, (d, l) => `Direktif "${d}" tidak boleh dipakai pada ${l}.`],
  [/^Unknown fragment "(.+?)"\.$/, (f) => `Fragment "${f}" tidak dikenal.`],
  [/^Fragment "(.+?)" is never used\.$/, (f) => `Fragment "${f}" tidak pernah dipakai.`],
  [
    /^Cannot spread fragment "(.+?)" within itself via (.+?)\.$/,
    (f, via) => `Fragment "${f}" tidak boleh disebar di dalam dirinya sendiri (lewat ${via}).`,
  ],
  [/^Cannot spread fragment "(.+?)" within itself\.$/, (f) => `Fragment "${f}" tidak boleh disebar di dalam dirinya sendiri.`],
  [
    /^Fragment "(.+?)" cannot be spread here as objects of type "(.+?)" can never be of type "(.+?)"\.$/,
    (f, a, b) => `Fragment "${f}" tidak dapat disebar di sini: objek bertipe "${a}" tidak pernah bertipe "${b}".`,
  ],
  [
    /^Fragment cannot be spread here as objects of type "(.+?)" can never be of type "(.+?)"\.$/,
    (a, b) => `Fragment tidak dapat disebar di sini: objek bertipe "${a}" tidak pernah bertipe "${b}".`,
  ],
  [
    /^Fragment "(.+?)" cannot condition on non composite type "(.+?)"\.$/,
    (f, t) => `Fragment "${f}" tidak dapat bersyarat pada tipe non-komposit "${t}".`,
  ],
  [/^Fragment cannot condition on non composite type "(.+?)"\.$/, (t) => `Fragment tidak dapat bersyarat pada tipe non-komposit "${t}".`],
  [/^There can be only one fragment named "(.+?)"\.$/, (f) => `Hanya boleh ada satu fragment bernama "${f}".`],
  [/^There can be only one operation named "(.+?)"\.$/, (o) => `Hanya boleh ada satu operasi bernama "${o}".`],
  [/^There can be only one argument named "(.+?)"\.$/, (a) => `Hanya boleh ada satu argumen bernama "${a}".`],
  [/^There can be only one input field named "(.+?)"\.$/, (f) => `Hanya boleh ada satu field input bernama "${f}".`],
  [
    /^This anonymous operation must be the only defined operation\.$/,
    () => 'Operasi tanpa nama ini harus menjadi satu-satunya operasi dalam dokumen.',
  ],
  [
    /^Anonymous Subscription must select only one top level field\.$/,
    () => 'Subscription tanpa nama hanya boleh memilih satu field teratas.',
  ],
  [/^Subscription "(.+?)" must select only one top level field\.$/, (s) => `Subscription "${s}" hanya boleh memilih satu field teratas.`],
  [
    /^Fields "(.+?)" conflict because (.+?)\. Use different aliases on the fields to fetch both if this was intentional\.$/s,
    (f, why) => `Field "${f}" bertentangan (${why}). Pakai alias yang berbeda untuk mengambil keduanya.`,
  ],
  [/^Unknown operation named "(.+?)"\.$/, (o) => `Tidak ada operasi bernama "${o}".`],
  [
    /^Must provide operation name if query contains multiple operations\.$/,
    () => 'Sebutkan nama operasi (operationName) bila dokumen berisi beberapa operasi.',
  ],
  [/^Must provide query string\.$/, () => 'Kueri (query) wajib diisi.'],
  [
    /^GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension\.$/,
    () => 'Operasi GraphQL harus berisi `query` yang tidak kosong.',
  ],
  [/^provided sha does not match query$/, () => 'Hash `persistedQuery.sha256Hash` tidak cocok dengan kueri yang dikirim.'],
  [/^Unsupported persisted query version$/, () => 'Versi `persistedQuery` ini tidak didukung.'],
  [/^Schema is not configured to execute (.+?) operation\.$/, (o) => `Skema ini tidak menjalankan operasi ${o}.`],
];

/** graphql-js's "Did you mean …?" tail (kept outside production, in Indonesian). */
const SUGGESTION = /^([\s\S]*?) ?Did you mean ([\s\S]*)\?$/;

/**
 * The Indonesian for one of graphql-js's messages (with its "Did you mean" tail, if any), or null
 * when the message is not one of them (Pantau's own messages are already in the request's language).
 */
export function indonesianGraphqlMessage(message: string): string | null {
  const tail = SUGGESTION.exec(message);
  const body = tail ? tail[1]! : message;
  for (const [re, to] of [...RULES, ...REASONS]) {
    const m = re.exec(body);
    if (m) return to(...m.slice(1)) + (tail ? ` Mungkin maksud Anda ${orList(tail[2]!)}?` : '');
  }
  return null;
}
