"""Sentence fragments combined with the skill families into varied descriptions.

Placeholders: {job}, {job_lower}, {years}, {place}, {name}, {days}, {population}, {kind}.
"""

OFFER_INTROS = (
    "Poste actuel : {job}, {place}, depuis {years} ans.",
    "{job} ({place}), {years} ans d'expérience dans la fonction publique territoriale.",
    "En poste à {place} comme {job_lower} depuis {years} ans.",
)

OFFER_EXPERIENCE = (
    "J'ai déjà partagé cette expérience avec des communes voisines et je peux transmettre les "
    "modèles de documents que nous utilisons.",
    "Je peux relire vos documents, animer une réunion de lancement et rester disponible pour "
    "les questions pendant la mise en œuvre.",
    "J'interviens volontiers en binôme avec un agent de votre collectivité pour qu'il reste "
    "autonome ensuite.",
    "Mon autorité territoriale soutient ce partage, dans le cadre d'une convention de mise à "
    "disposition.",
    "J'ai présenté cette démarche lors de rencontres du CNFPT et du réseau régional.",
    "Je privilégie des interventions courtes et régulières plutôt qu'un audit ponctuel.",
)

OFFER_MODALITY = {
    "remote": "Intervention à distance par visioconférence, avec partage de documents.",
    "on_site": "Intervention sur place, dans un rayon raisonnable autour de ma collectivité.",
    "hybrid": "Une première journée sur place, puis un suivi à distance.",
}

OFFER_CLOSINGS = (
    "Disponibilité : environ {days} jour(s) par mois.",
    "Je peux y consacrer {days} jour(s) par mois, avec l'accord de mon employeur.",
    "Temps disponible : {days} jour(s) par mois, hors période budgétaire.",
)

NEED_INTROS = (
    "{name} ({kind}, {population} habitants).",
    "Demande portée par {name} ({kind}, {population} habitants).",
    "{name}, {kind} de {population} habitants.",
)

NEED_CONTEXT = (
    "Le poste correspondant est vacant depuis plusieurs mois.",
    "La collectivité ne dispose pas de cette compétence en interne.",
    "Le projet est inscrit au budget de l'année et les élus souhaitent avancer rapidement.",
    "Un bureau d'études a été consulté mais nous avons d'abord besoin d'un regard de pair.",
    "L'équipe en place est motivée mais manque de retours d'expérience.",
    "Nous avons besoin d'un appui ponctuel pour cadrer la démarche, pas d'une prestation complète.",
)

NEED_EXPECTED = (
    "Attendu : une note de cadrage et un calendrier réaliste.",
    "Attendu : une relecture de nos documents et des recommandations écrites.",
    "Attendu : l'animation de deux ateliers avec les élus et les services.",
    "Attendu : un partage de modèles et un accompagnement de l'agent en charge du dossier.",
    "Attendu : un diagnostic rapide et une liste d'actions priorisées.",
)

NEED_CLOSINGS = (
    "Volume estimé : {days} jours.",
    "Nous estimons le besoin à {days} jours répartis sur quelques mois.",
    "Charge estimée : {days} jours, frais de déplacement pris en charge.",
)

KIND_WORDS = {
    "commune": "commune",
    "epci": "intercommunalité",
    "departement": "département",
    "region": "région",
    "statut_particulier": "collectivité à statut particulier",
    "groupement": "groupement public",
}
