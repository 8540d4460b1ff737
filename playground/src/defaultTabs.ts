// Example operations that fill GraphiQL's tabs on a first visit (before anything is stored).
import type { GraphiQLProps } from 'graphiql';

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
    query: `query Ringkasan($cityId: ID!) {
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
  },
];
