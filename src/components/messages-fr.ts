// Canadian French messages, loaded by messages.ts only when a page or element says `lang="fr"`.
// One line per English message, in the English catalog's order (messages.ts): keys would cost the
// chunk a seventh of its bytes. test/components/messages.test.ts checks the order by placeholders.
// A pronoun joined by a hyphen (celui-ci, acceptez-le, connectez-vous-y) takes U+2011, the
// non-breaking hyphen: a line never ends on "celui-" with "ci." alone on the next.

export const FR_MESSAGES = [
  "Un numéro d'assurance maladie {province} est requis pour accéder à {viewer}.", // health-number-required
  "{name} n'est pas configuré dans ce DME. Demandez à l'administrateur de votre DME de l'activer.", // not-configured
  'Le navigateur a bloqué la fenêtre de {viewer}. Autorisez les fenêtres contextuelles pour ce site, puis réessayez.', // popup-blocked
  '{viewer} ne répond pas. Réessayez dans quelques minutes ou vérifiez votre connexion réseau.', // viewer-timeout
  "{viewer} n'a pas pu vous connecter. Vérifiez votre compte; hors du réseau de la clinique, seuls les prestataires y ont accès.", // auth-failed
  "{viewer} n'a trouvé aucun patient correspondant à ce numéro d'assurance maladie.", // no-match
  "Le DME n'a pas pu préparer un lancement sécurisé de {viewer}. Réessayez ou communiquez avec le soutien de votre DME.", // token-failed
  '{viewer} traite une autre demande. Attendez un moment, puis réessayez.', // busy
  '{viewer} indique que son service est indisponible. Réessayez dans quelques minutes.', // unavailable
  '{viewer} a perdu le lancement. Réessayez ou communiquez avec le soutien de votre DME.', // launch-lost
  "La politique de sécurité de cette page (form-action) a bloqué {viewer}. Communiquez avec le soutien de votre DME.", // blocked-by-policy
  "{viewer} ne peut pas recevoir le nom, la date de naissance, le sexe ou le numéro de dossier de ce patient. Vérifiez-les ou communiquez avec le soutien de votre DME.", // demographics-invalid
  '{viewer} affiche un autre patient — cliquez pour mettre à jour.', // stale
  "{viewer} affiche un autre patient. Un numéro d'assurance maladie {province} est requis pour le mettre à jour.", // stale-number
  "{viewer} affiche un autre patient jusqu'à ce que vous acceptiez celui\u2011ci.", // stale-pending
  '{viewer} affiche toujours un autre patient.', // stale-still
  "Une autre fenêtre de {viewer}, ouverte depuis un autre onglet, affiche un autre patient. Fermez\u2011la si vous n'en avez plus besoin.", // stale-other-tab
  'Réessayer', // retry
  'Ouverture de {viewer}…', // opening
  "En attente de {viewer}\u00a0: connectez\u2011vous\u2011y s'il le demande.", // waiting
  'Vérifiez le patient dans {viewer}, puis acceptez\u2011le.', // matching
];

export const FR_PROVINCES = {
  AB: "de l'Alberta", BC: 'de la Colombie-Britannique', NB: 'du Nouveau-Brunswick', NL: 'de Terre-Neuve-et-Labrador',
  NS: 'de la Nouvelle-Écosse', ON: "de l'Ontario", QC: 'du Québec', SK: 'de la Saskatchewan',
};
