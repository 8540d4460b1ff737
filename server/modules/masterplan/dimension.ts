import { registerEnumType } from 'type-graphql';
import type { Locale } from '../../i18n';

/** The programme's six smart-city dimensions. */
export enum Dimension {
  GOVERNANCE = 'GOVERNANCE',
  BRANDING = 'BRANDING',
  ECONOMY = 'ECONOMY',
  LIVING = 'LIVING',
  SOCIETY = 'SOCIETY',
  ENVIRONMENT = 'ENVIRONMENT',
}
registerEnumType(Dimension, {
  name: 'Dimension',
  description: 'The six smart-city dimensions of the Gerakan Menuju 100 Smart City.',
  valuesConfig: {
    GOVERNANCE: { description: 'Smart governance — tata kelola birokrasi' },
    BRANDING: { description: 'Smart branding — pemasaran daerah' },
    ECONOMY: { description: 'Smart economy — perekonomian' },
    LIVING: { description: 'Smart living — ekosistem permukiman' },
    SOCIETY: { description: 'Smart society — lingkungan masyarakat' },
    ENVIRONMENT: { description: 'Smart environment — pemulihan lingkungan' },
  },
});

/** All six dimensions, in the programme's order. */
export const DIMENSIONS: readonly Dimension[] = Object.values(Dimension);

const labels: Record<Dimension, Record<Locale, string>> = {
  GOVERNANCE: { id: 'Tata kelola birokrasi', en: 'Smart governance' },
  BRANDING: { id: 'Pemasaran daerah', en: 'Smart branding' },
  ECONOMY: { id: 'Perekonomian', en: 'Smart economy' },
  LIVING: { id: 'Ekosistem permukiman', en: 'Smart living' },
  SOCIETY: { id: 'Lingkungan masyarakat', en: 'Smart society' },
  ENVIRONMENT: { id: 'Pemulihan lingkungan', en: 'Smart environment' },
};

/** The dimension's name for people. */
export function dimensionLabel(dimension: Dimension, locale: Locale): string {
  return labels[dimension][locale];
}
