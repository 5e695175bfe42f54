// Canadian French messages, loaded by messages.ts only when a page or element says `lang="fr"`.
import type { ProvinceCode } from '../core/provinces.js';
import type { Catalog } from './messages.js';

const PROVINCE_FR: Partial<Record<ProvinceCode, string>> = {
  AB: "de l'Alberta", BC: 'de la Colombie-Britannique', NB: 'du Nouveau-Brunswick', NL: 'de Terre-Neuve-et-Labrador',
  NS: 'de la Nouvelle-Écosse', ON: "de l'Ontario", QC: 'du Québec', SK: 'de la Saskatchewan',
};

export const FR: Catalog = {
  'health-number-required': (s, v) =>
    `Un numéro d'assurance maladie ${(v && PROVINCE_FR[v.healthNumberProvince]) ?? 'valide'} est requis pour accéder à ${s}.`,
  'no-viewer': () => "Aucun visualiseur provincial n'est offert pour cet emplacement.",
  'not-configured': (s, v) => `${v?.name ?? s} n'est pas configuré dans ce DME. Demandez à l'administrateur de votre DME de l'activer.`,
  'popup-blocked': (s) => `Le navigateur a bloqué la fenêtre de ${s}. Autorisez les fenêtres contextuelles pour ce site, puis réessayez.`,
  'viewer-timeout': (s) => `${s} ne répond pas. Réessayez dans quelques minutes ou vérifiez votre connexion réseau.`,
  'auth-failed': (s) => `${s} n'a pas pu vous connecter. Vérifiez votre compte; hors du réseau de la clinique, seuls les prestataires y ont accès.`,
  'no-match': (s) => `${s} n'a trouvé aucun patient correspondant à ce numéro d'assurance maladie.`,
  'token-failed': (s) => `Le DME n'a pas pu préparer un lancement sécurisé de ${s}. Réessayez ou communiquez avec le soutien de votre DME.`,
  busy: (s) => `${s} traite une autre demande. Attendez un moment, puis réessayez.`,
  stale: (s) => `${s} affiche un autre patient — cliquez pour mettre à jour.`,
  retry: () => 'Réessayer',
};

