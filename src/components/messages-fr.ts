// Canadian French messages, loaded by messages.ts only when a page or element says `lang="fr"`.
import type { Catalog } from './messages.js';

export const FR: Catalog = {
  messages: {
    'health-number-required': "Un numéro d'assurance maladie {province} est requis pour accéder à {viewer}.",
    'not-configured': "{name} n'est pas configuré dans ce DME. Demandez à l'administrateur de votre DME de l'activer.",
    'popup-blocked': 'Le navigateur a bloqué la fenêtre de {viewer}. Autorisez les fenêtres contextuelles pour ce site, puis réessayez.',
    'viewer-timeout': '{viewer} ne répond pas. Réessayez dans quelques minutes ou vérifiez votre connexion réseau.',
    'auth-failed': "{viewer} n'a pas pu vous connecter. Vérifiez votre compte; hors du réseau de la clinique, seuls les prestataires y ont accès.",
    'no-match': "{viewer} n'a trouvé aucun patient correspondant à ce numéro d'assurance maladie.",
    'token-failed': "Le DME n'a pas pu préparer un lancement sécurisé de {viewer}. Réessayez ou communiquez avec le soutien de votre DME.",
    busy: '{viewer} traite une autre demande. Attendez un moment, puis réessayez.',
    unavailable: '{viewer} indique que son service est indisponible. Réessayez dans quelques minutes.',
    'launch-lost': '{viewer} a perdu le lancement. Réessayez ou communiquez avec le soutien de votre DME.',
    'blocked-by-policy': "La politique de sécurité de cette page (form-action) a bloqué {viewer}. Communiquez avec le soutien de votre DME.",
    'demographics-invalid': "{viewer} ne peut pas recevoir le nom, la date de naissance, le sexe ou le numéro de dossier de ce patient. Vérifiez-les ou communiquez avec le soutien de votre DME.",
    stale: '{viewer} affiche un autre patient — cliquez pour mettre à jour.',
    'stale-number': "{viewer} affiche un autre patient. Un numéro d'assurance maladie {province} est requis pour le mettre à jour.",
    'stale-pending': "{viewer} affiche un autre patient jusqu'à ce que vous acceptiez celui-ci.",
    'stale-still': '{viewer} affiche toujours un autre patient.',
    retry: 'Réessayer',
  },
  provinces: {
    AB: "de l'Alberta", BC: 'de la Colombie-Britannique', NB: 'du Nouveau-Brunswick', NL: 'de Terre-Neuve-et-Labrador',
    NS: 'de la Nouvelle-Écosse', ON: "de l'Ontario", QC: 'du Québec', SK: 'de la Saskatchewan',
  },
};
