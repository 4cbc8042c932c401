"""Needs written in everyday words whose best answer is an offer written in the trade's jargon.

A mayor writes "les routes sont pleines de trous", the roads technician offers a "programmation
pluriannuelle des chaussées (VRD)": the matching must find the pair although the two texts share
almost no word. Each pair is hand-written; the plan places both sides in different
collectivities so that no rule keeps them apart.
"""
from __future__ import annotations

from marketplace.demo.showcase import WrittenNeed, WrittenOffer

PARAPHRASE_PAIRS: tuple[tuple[WrittenNeed, WrittenOffer], ...] = (
    (WrittenNeed("gaspillage", ("commune", "02408"), "alimentation_durable",
                 "Nos enfants jettent la moitié de leur assiette à la cantine",
                 "Les poubelles de la cantine sont pleines après chaque repas et les parents s'en "
                 "plaignent. Comment faire manger les enfants et jeter moins ?",
                 ("cantine",), "remote", 4),
     WrittenOffer(("commune", "31483"), "Responsable de la restauration collective",
                  "alimentation_durable", "Plan anti-gaspillage en restauration scolaire (EGalim)",
                  "Pesées des restes, grammages ajustés, choix du menu par les élèves : le "
                  "gaspillage alimentaire de nos restaurants scolaires a baissé de 40 %.",
                  ("gaspillage alimentaire", "EGalim", "restauration scolaire"))),
    (WrittenNeed("nids", ("commune", "05023"), "voirie",
                 "Les rues du village sont pleines de trous",
                 "Chaque hiver, les trous se multiplient dans les rues et on rebouche au hasard "
                 "des plaintes. On voudrait savoir par où commencer et combien prévoir chaque année.",
                 ("voirie",), "remote", 4),
     WrittenOffer(("epci", "200065886"), "Technicien·ne voirie et réseaux divers", "voirie",
                  "Programmation pluriannuelle de l'entretien des chaussées (VRD)",
                  "Relevé d'état des chaussées, indicateurs de dégradation, hiérarchisation du "
                  "réseau et programme quinquennal de renouvellement des couches de roulement.",
                  ("chaussées", "programmation", "VRD"))),
    (WrittenNeed("primes", ("commune", "42147"), "ressources_humaines",
                 "Nos agents trouvent leurs primes injustes",
                 "Deux agents qui font le même travail ne touchent pas la même somme, et personne "
                 "ne sait plus pourquoi. Le maire veut remettre de l'ordre avant l'été.",
                 ("primes",), "remote", 5),
     WrittenOffer(("departement", "40"), "Gestionnaire carrière et paie", "ressources_humaines",
                  "Refonte du RIFSEEP : cotation des postes, IFSE et CIA",
                  "J'ai porté la refonte du RIFSEEP : groupes de fonctions, cotation des postes, "
                  "part IFSE et CIA, passage en comité social territorial et délibération.",
                  ("RIFSEEP", "régime indemnitaire", "cotation des postes"))),
    (WrittenNeed("poubelles", ("commune", "09225"), "environnement",
                 "Les habitants mettent tout dans la même poubelle",
                 "Les bacs jaunes sont mal remplis et le ramassage des poubelles coûte de plus en "
                 "plus cher. Comment convaincre les habitants de mieux trier ?",
                 ("déchets",), "remote", 4),
     WrittenOffer(("epci", "243300316"), "Responsable prévention et gestion des déchets",
                  "environnement", "PLPDMA et amélioration de la collecte sélective",
                  "J'ai écrit le programme local de prévention des déchets ménagers et assimilés "
                  "et piloté l'extension des consignes de tri avec les ambassadeurs du tri.",
                  ("PLPDMA", "collecte sélective", "déchets"))),
    (WrittenNeed("lampadaires", ("commune", "31483"), "voirie",
                 "Éteindre les lampadaires la nuit sans inquiéter les habitants",
                 "La facture d'électricité explose et des habitants demandent d'éteindre les "
                 "lumières des rues la nuit. D'autres ont peur. Comment s'y prendre ?",
                 ("électricité",), "remote", 3),
     WrittenOffer(("commune", "35238"), "Responsable des services techniques", "voirie",
                  "Sobriété de l'éclairage public : extinction en cœur de nuit",
                  "J'ai conduit l'extinction de l'éclairage public de 23 h à 5 h : arrêté du "
                  "maire, horloges astronomiques, réunions publiques et bilan après un an.",
                  ("éclairage public", "sobriété"))),
    (WrittenNeed("ecole", ("commune", "42147"), "education",
                 "Aurons-nous assez de classes dans cinq ans ?",
                 "Des lotissements se construisent et la directrice craint de manquer de place. "
                 "Faut-il agrandir l'école ou redécouper qui va où ?",
                 ("écoles",), "remote", 4),
     WrittenOffer(("commune", "31555"), "Directeur·rice de l'éducation", "education",
                  "Prospective des effectifs scolaires et sectorisation",
                  "Je modélise les effectifs à partir des naissances et des permis de construire "
                  "et j'ai révisé la carte scolaire de la ville.",
                  ("effectifs", "carte scolaire"))),
    (WrittenNeed("piratage", ("commune", "02408"), "numerique",
                 "La mairie d'à côté a été piratée : et nous ?",
                 "Leurs ordinateurs ont été bloqués pendant trois semaines avec une demande de "
                 "rançon. Nous ne savons pas si nous sommes protégés.",
                 ("informatique",), "remote", 3),
     WrittenOffer(("region", "76"), "Responsable de la sécurité des systèmes d'information",
                  "numerique", "Cybersécurité : parcours ANSSI, sauvegardes hors ligne et PCA",
                  "Parcours de cybersécurité de l'ANSSI, sauvegardes déconnectées testées, plan "
                  "de continuité d'activité et exercice de crise rançongiciel.",
                  ("cybersécurité", "ANSSI", "PCA"))),
    (WrittenNeed("bus", ("epci", "240500439"), "mobilite",
                 "Nos aînés ne peuvent plus aller chez le médecin sans voiture",
                 "Le car ne passe que pour les scolaires. Des personnes âgées renoncent à leurs "
                 "rendez-vous faute de quelqu'un pour les conduire.",
                 ("personnes âgées",), "remote", 5),
     WrittenOffer(("epci", "200043495"), "Chargé·e de mission mobilité", "mobilite",
                  "Transport à la demande et mobilité solidaire en zone rurale (AOM)",
                  "Devenus autorité organisatrice de la mobilité, nous avons lancé un TAD sur "
                  "réservation et un réseau de chauffeurs bénévoles.",
                  ("transport à la demande", "mobilité solidaire", "AOM"))),
    (WrittenNeed("riviere", ("epci", "200072726"), "eau_assainissement",
                 "La rivière sort de son lit chaque hiver dans le bourg",
                 "Les caves sont inondées deux fois par an et les riverains nous interpellent. "
                 "Qui doit agir et avec quel argent ?",
                 ("rivière",), "remote", 5),
     WrittenOffer(("epci", "246300701"), "Ingénieur·e réseaux humides", "eau_assainissement",
                  "Compétence GEMAPI : PAPI et zones d'expansion de crues",
                  "Je pilote la GEMAPI : programme d'actions de prévention des inondations, "
                  "taxe, systèmes d'endiguement et zones d'expansion de crues.",
                  ("GEMAPI", "PAPI", "inondations"))),
    (WrittenNeed("fournitures", ("commune", "33243"), "marches_publics",
                 "Acheter le papier et les produits d'entretien avec les villages voisins",
                 "Chaque mairie commande seule ses ramettes et ses produits ménagers. À plusieurs, "
                 "on paierait sûrement moins cher.",
                 ("achats",), "remote", 4),
     WrittenOffer(("epci", "200046977"), "Acheteur·se public·que", "marches_publics",
                  "Groupement de commandes et cartographie des achats",
                  "Convention constitutive, coordonnateur, recensement des besoins des membres : "
                  "j'ai monté trois groupements de commandes de fournitures.",
                  ("groupement de commandes", "mutualisation"))),
    (WrittenNeed("donnees", ("commune", "13055"), "numerique",
                 "Mettre nos tableaux en ligne pour que chacun puisse les réutiliser",
                 "On nous dit qu'il faut publier les subventions versées et d'autres listes sur "
                 "internet, dans un bon format. Nous ne savons pas lequel.",
                 ("internet",), "remote", 3),
     WrittenOffer(("epci", "200093201"), "Chef·fe de projet numérique", "numerique",
                  "Open data : publication selon le socle commun des données locales (SCDL)",
                  "Jeux de données au format SCDL sur data.gouv.fr : subventions, délibérations, "
                  "marchés, avec un circuit de mise à jour automatique.",
                  ("open data", "SCDL", "données"))),
    (WrittenNeed("medecin", ("commune", "05023"), "developpement_economique",
                 "Faire venir un médecin au village",
                 "Notre dernier généraliste part en retraite l'an prochain. Les habitants "
                 "s'inquiètent et nous ne savons pas quoi proposer.",
                 ("santé",), "remote", 5),
     WrittenOffer(("departement", "63"), "Responsable de l'attractivité",
                  "developpement_economique",
                  "Attractivité médicale : maison de santé pluriprofessionnelle et internes",
                  "J'accompagne les projets de MSP, l'accueil des internes et des jeunes "
                  "praticiens, en lien avec l'ARS et le contrat local de santé.",
                  ("MSP", "attractivité", "santé"))),
)
