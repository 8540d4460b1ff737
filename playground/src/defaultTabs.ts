// Example operations that fill GraphiQL's tabs on a first visit (before anything is stored): a
// query, the city at a glance, a mutation and a live subscription. Operations on a city take
// `$cityId`; its empty value in the variables is filled in after login with the user's city (the
// demo city for a platform admin), see cityVariables.ts.
import type { GraphiQLProps } from 'graphiql';

/** The variables of a tab that works on a city, before the city is known. */
export const CITY_VARIABLES = JSON.stringify({ cityId: '' }, null, 2);

/** Tabs shown when the browser has no saved GraphiQL tab state. */
export const DEFAULT_TABS: NonNullable<GraphiQLProps['defaultTabs']> = [
  {
    query: `# Selamat datang di Pantau. Masuk di atas, lalu jalankan (Ctrl+Enter).
query Kota {
  cities { id name }
}
`,
  },
  {
    query: `# Ringkasan kota: id kota diisi sendiri setelah masuk (lihat Variables).
query Ringkasan($cityId: ID!) {
  city(id: $cityId) {
    name
    overview {
      progress
      dimensions { dimension progress }
      quickWins { name year progress }
      opds { id name progress }
      lateActionPlans { id title progress state ownerOpd { name } }
    }
    actionPlans(first: 5) { totalCount edges { cursor node { id title version progress state ownerOpd { id name } } } pageInfo { hasNextPage endCursor } }
  }
}
`,
    variables: CITY_VARIABLES,
  },
  {
    query: `# Mutasi: token layar baru untuk ruang rapat (admin kota). Jawabannya memuat tautan layar, sekali saja.
mutation LayarBaru($cityId: ID!) {
  createScreenToken(input: { cityId: $cityId, label: "Ruang Rapat (dari playground)" }) {
    token
    dashboardUrl
    screenToken { id label createdAt }
  }
}
`,
    variables: CITY_VARIABLES,
  },
  {
    query: `# Langganan: ringkasan kota langsung, dikirim lagi setiap ada laporan baru.
subscription RingkasanLangsung($cityId: ID!) {
  citySummary(cityId: $cityId) {
    seq
    progress
    counts { done onTrack late notStarted }
  }
}
`,
    variables: CITY_VARIABLES,
  },
];
