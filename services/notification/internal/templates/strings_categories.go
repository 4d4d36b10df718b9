package templates

// categoryWords name the categories (categories.go) for the footer and the
// preferences page.
func categoryWords() map[Category]map[string]CategoryText {
	return map[Category]map[string]CategoryText{
		Transactional: {
			"en": {"Essential emails", "Confirmation links, answers to what you asked for, invitations and decisions. They are always sent."},
			"es": {"Correos esenciales", "Enlaces de confirmación, respuestas a lo que pediste, invitaciones y decisiones. Se envían siempre."},
			"fr": {"Messages essentiels", "Liens de confirmation, réponses à vos demandes, invitations et décisions. Ils sont toujours envoyés."},
			"pt": {"Emails essenciais", "Links de confirmação, respostas ao que pediu, convites e decisões. São sempre enviados."},
			"ca": {"Correus essencials", "Enllaços de confirmació, respostes al que has demanat, invitacions i decisions. S'envien sempre."},
		},
		PetitionNews: {
			"en": {"Petition news", "How a petition you signed ended, when you asked to hear it."},
			"es": {"Noticias de peticiones", "Cómo acabó una petición que firmaste, si pediste saberlo."},
			"fr": {"Nouvelles des pétitions", "L'issue d'une pétition que vous avez signée, si vous avez demandé à la connaître."},
			"pt": {"Notícias das petições", "Como terminou uma petição que assinou, se pediu para saber."},
			"ca": {"Notícies de peticions", "Com ha acabat una petició que has signat, si vas demanar saber-ho."},
		},
		CoordinatorAlerts: {
			"en": {"Petition milestones", "For coordinators: a petition passed a milestone or reached its goal."},
			"es": {"Hitos de las peticiones", "Para coordinadores: una petición superó un hito o alcanzó su objetivo."},
			"fr": {"Étapes des pétitions", "Pour les coordinateurs : une pétition a franchi une étape ou atteint son objectif."},
			"pt": {"Marcos das petições", "Para coordenadores: uma petição ultrapassou um marco ou atingiu o objetivo."},
			"ca": {"Fites de les peticions", "Per a coordinadors: una petició ha superat una fita o ha assolit el seu objectiu."},
		},
		AssemblyReminders: {
			"en": {"Assembly reminders", "Reminders before an assembly you are invited to."},
			"es": {"Recordatorios de asambleas", "Recordatorios antes de una asamblea a la que te han invitado."},
			"fr": {"Rappels d'assemblées", "Rappels avant une assemblée à laquelle vous êtes invité·e."},
			"pt": {"Lembretes de assembleias", "Lembretes antes de uma assembleia para a qual foi convidado."},
			"ca": {"Recordatoris d'assemblees", "Recordatoris abans d'una assemblea a la qual t'han convidat."},
		},
	}
}

// footerTemplate is the word-set name of the footer every email ends with.
const footerTemplate = "footer"

// footerWords are the footer's phrases (files/footer.*).
func footerWords() map[string]map[string]string {
	return map[string]map[string]string{
		"en": {
			"transactional": "You received this email because of something done with this address on the Cities Coalition for Digital Rights platform.",
			"optional":      "You receive “{{.CategoryTitle}}” from the Cities Coalition for Digital Rights because you asked for them.",
			"unsubscribe":   "Unsubscribe from these emails",
			"preferences":   "Your email preferences",
		},
		"es": {
			"transactional": "Recibes este correo por algo hecho con esta dirección en la plataforma de la Coalición de Ciudades por los Derechos Digitales.",
			"optional":      "Recibes «{{.CategoryTitle}}» de la Coalición de Ciudades por los Derechos Digitales porque lo pediste.",
			"unsubscribe":   "Darte de baja de estos correos",
			"preferences":   "Tus preferencias de correo",
		},
		"fr": {
			"transactional": "Vous recevez ce message en raison d'une action faite avec cette adresse sur la plateforme de la Coalition des villes pour les droits numériques.",
			"optional":      "Vous recevez « {{.CategoryTitle}} » de la Coalition des villes pour les droits numériques parce que vous l'avez demandé.",
			"unsubscribe":   "Se désabonner de ces messages",
			"preferences":   "Vos préférences de messagerie",
		},
		"pt": {
			"transactional": "Recebeu este email por algo feito com este endereço na plataforma da Coligação de Cidades pelos Direitos Digitais.",
			"optional":      "Recebe «{{.CategoryTitle}}» da Coligação de Cidades pelos Direitos Digitais porque o pediu.",
			"unsubscribe":   "Cancelar a subscrição destes emails",
			"preferences":   "As suas preferências de email",
		},
		"ca": {
			"transactional": "Reps aquest correu per alguna cosa feta amb aquesta adreça a la plataforma de la Coalició de Ciutats pels Drets Digitals.",
			"optional":      "Reps «{{.CategoryTitle}}» de la Coalició de Ciutats pels Drets Digitals perquè ho vas demanar.",
			"unsubscribe":   "Donar-te de baixa d'aquests correus",
			"preferences":   "Les teves preferències de correu",
		},
	}
}
