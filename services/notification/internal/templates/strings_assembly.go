package templates

// assemblyWords are the phrases of the emails to the invitees of an
// assembly (see WordSet): each template's own phrases plus the phrases of
// the details every one of them shows (files/assembly_details.*).
func assemblyWords() map[string]map[string]map[string]string {
	sets := map[string]map[string]map[string]string{
		"assembly_invitation": assemblyInvitationWords(),
		"assembly_updated":    assemblyUpdatedWords(),
		"assembly_cancelled":  assemblyCancelledWords(),
		"assembly_uninvited":  assemblyUninvitedWords(),
		"assembly_reminder":   assemblyReminderWords(),
		"assembly_minutes":    assemblyMinutesWords(),
	}
	details := assemblyDetailsWords()
	for _, langs := range sets {
		for lang, keys := range langs {
			for k, v := range details[lang] {
				if _, own := keys[k]; !own {
					keys[k] = v
				}
			}
		}
	}
	return sets
}

func assemblyDetailsWords() map[string]map[string]string {
	return map[string]map[string]string{
		"en": {
			"greeting": "Hello {{.Name}},", "when": "When", "your_time": "Your time", "planned_time": "Assembly's time",
			"where": "Where", "online": "Online", "agenda": "Agenda", "about": "About", "min": "min",
		},
		"es": {
			"greeting": "Hola {{.Name}}:", "when": "Cuándo", "your_time": "Tu hora", "planned_time": "Hora de la asamblea",
			"where": "Dónde", "online": "En línea", "agenda": "Orden del día", "about": "Descripción", "min": "min",
		},
		"fr": {
			"greeting": "Bonjour {{.Name}},", "when": "Quand", "your_time": "Votre heure", "planned_time": "Heure de l'assemblée",
			"where": "Où", "online": "En ligne", "agenda": "Ordre du jour", "about": "Description", "min": "min",
		},
		"pt": {
			"greeting": "Olá {{.Name}},", "when": "Quando", "your_time": "A sua hora", "planned_time": "Hora da assembleia",
			"where": "Onde", "online": "Online", "agenda": "Ordem de trabalhos", "about": "Descrição", "min": "min",
		},
		"ca": {
			"greeting": "Hola {{.Name}},", "when": "Quan", "your_time": "La teva hora", "planned_time": "Hora de l'assemblea",
			"where": "On", "online": "En línia", "agenda": "Ordre del dia", "about": "Descripció", "min": "min",
		},
	}
}

func assemblyInvitationWords() map[string]map[string]string {
	return map[string]map[string]string{
		"en": {
			"subject":    "Invitation: {{.Title}} — {{.Date}}",
			"intro":      "You are invited to {{.Title}}, an assembly of the Cities Coalition for Digital Rights.",
			"rsvp":       "Will you attend? Answer with one of these links:",
			"accept":     "Yes, I will attend",
			"tentative":  "Maybe",
			"decline":    "No, I cannot attend",
			"rsvp_later": "You can change your answer later with the same links.",
			"calendar":   "The attached invitation (invite.ics) adds the assembly to your calendar. Please answer with the links above: an answer sent from a calendar app does not reach the coordinators.",
			"feed":       "Your private calendar of assemblies, to subscribe to in a calendar app (keep this link to yourself):",
		},
		"es": {
			"subject":    "Invitación: {{.Title}} — {{.Date}}",
			"intro":      "Te invitamos a {{.Title}}, una asamblea de la Coalición de Ciudades por los Derechos Digitales.",
			"rsvp":       "¿Asistirás? Responde con uno de estos enlaces:",
			"accept":     "Sí, asistiré",
			"tentative":  "Quizás",
			"decline":    "No puedo asistir",
			"rsvp_later": "Puedes cambiar tu respuesta más adelante con los mismos enlaces.",
			"calendar":   "La invitación adjunta (invite.ics) añade la asamblea a tu calendario. Responde con los enlaces de arriba: una respuesta enviada desde una aplicación de calendario no llega a los coordinadores.",
			"feed":       "Tu calendario privado de asambleas, para suscribirte desde una aplicación de calendario (no compartas este enlace):",
		},
		"fr": {
			"subject":    "Invitation : {{.Title}} — {{.Date}}",
			"intro":      "Nous vous invitons à {{.Title}}, une assemblée de la Coalition des villes pour les droits numériques.",
			"rsvp":       "Participerez-vous ? Répondez avec l'un de ces liens :",
			"accept":     "Oui, je participerai",
			"tentative":  "Peut-être",
			"decline":    "Non, je ne peux pas participer",
			"rsvp_later": "Vous pourrez modifier votre réponse plus tard avec les mêmes liens.",
			"calendar":   "L'invitation jointe (invite.ics) ajoute l'assemblée à votre agenda. Répondez avec les liens ci-dessus : une réponse envoyée depuis une application d'agenda ne parvient pas aux coordinateurs.",
			"feed":       "Votre agenda privé des assemblées, auquel vous abonner dans une application d'agenda (gardez ce lien pour vous) :",
		},
		"pt": {
			"subject":    "Convite: {{.Title}} — {{.Date}}",
			"intro":      "Tem um convite para {{.Title}}, uma assembleia da Coligação de Cidades pelos Direitos Digitais.",
			"rsvp":       "Vai participar? Responda com um destes links:",
			"accept":     "Sim, vou participar",
			"tentative":  "Talvez",
			"decline":    "Não posso participar",
			"rsvp_later": "Pode alterar a sua resposta mais tarde com os mesmos links.",
			"calendar":   "O convite em anexo (invite.ics) acrescenta a assembleia ao seu calendário. Responda com os links acima: uma resposta enviada a partir de uma aplicação de calendário não chega aos coordenadores.",
			"feed":       "O seu calendário privado de assembleias, para subscrever numa aplicação de calendário (não partilhe este link):",
		},
		"ca": {
			"subject":    "Invitació: {{.Title}} — {{.Date}}",
			"intro":      "Et convidem a {{.Title}}, una assemblea de la Coalició de Ciutats pels Drets Digitals.",
			"rsvp":       "Hi assistiràs? Respon amb un d'aquests enllaços:",
			"accept":     "Sí, hi assistiré",
			"tentative":  "Potser",
			"decline":    "No hi puc assistir",
			"rsvp_later": "Pots canviar la resposta més endavant amb els mateixos enllaços.",
			"calendar":   "La invitació adjunta (invite.ics) afegeix l'assemblea al teu calendari. Respon amb els enllaços de dalt: una resposta enviada des d'una aplicació de calendari no arriba als coordinadors.",
			"feed":       "El teu calendari privat d'assemblees, per subscriure-t'hi des d'una aplicació de calendari (no comparteixis aquest enllaç):",
		},
	}
}

// The changed_* phrases name what an update changed (AssemblyUpdated's
// field names, and "time" for a reschedule).
func assemblyUpdatedWords() map[string]map[string]string {
	return map[string]map[string]string{
		"en": {
			"subject": "Updated: {{.Title}} — {{.Date}}", "intro": "The assembly {{.Title}} has changed.", "changed": "What changed",
			"changed_time": "the date and time", "changed_title": "the title", "changed_description": "the description",
			"changed_place": "the place", "changed_online_url": "the online link", "changed_agenda": "the agenda",
			"changed_capacity": "the number of places", "changed_rsvp_deadline": "the deadline for answers",
			"previously": "Before",
			"answer":     "Your answer stays as it was. To change it, use the link in your invitation email.",
			"calendar":   "The attached update (invite.ics) changes the assembly in your calendar.",
		},
		"es": {
			"subject": "Cambios: {{.Title}} — {{.Date}}", "intro": "La asamblea {{.Title}} ha cambiado.", "changed": "Qué ha cambiado",
			"changed_time": "la fecha y la hora", "changed_title": "el título", "changed_description": "la descripción",
			"changed_place": "el lugar", "changed_online_url": "el enlace para conectarse", "changed_agenda": "el orden del día",
			"changed_capacity": "el número de plazas", "changed_rsvp_deadline": "el plazo para responder",
			"previously": "Antes",
			"answer":     "Tu respuesta se mantiene. Para cambiarla, usa el enlace del correo de invitación.",
			"calendar":   "La actualización adjunta (invite.ics) cambia la asamblea en tu calendario.",
		},
		"fr": {
			"subject": "Mise à jour : {{.Title}} — {{.Date}}", "intro": "L'assemblée {{.Title}} a changé.", "changed": "Ce qui a changé",
			"changed_time": "la date et l'heure", "changed_title": "le titre", "changed_description": "la description",
			"changed_place": "le lieu", "changed_online_url": "le lien de connexion", "changed_agenda": "l'ordre du jour",
			"changed_capacity": "le nombre de places", "changed_rsvp_deadline": "la date limite de réponse",
			"previously": "Avant",
			"answer":     "Votre réponse reste la même. Pour la modifier, utilisez le lien de votre e-mail d'invitation.",
			"calendar":   "La mise à jour jointe (invite.ics) modifie l'assemblée dans votre agenda.",
		},
		"pt": {
			"subject": "Alteração: {{.Title}} — {{.Date}}", "intro": "A assembleia {{.Title}} foi alterada.", "changed": "O que mudou",
			"changed_time": "a data e a hora", "changed_title": "o título", "changed_description": "a descrição",
			"changed_place": "o local", "changed_online_url": "o link para participar online", "changed_agenda": "a ordem de trabalhos",
			"changed_capacity": "o número de lugares", "changed_rsvp_deadline": "o prazo para responder",
			"previously": "Antes",
			"answer":     "A sua resposta mantém-se. Para a alterar, use o link do email de convite.",
			"calendar":   "A atualização em anexo (invite.ics) altera a assembleia no seu calendário.",
		},
		"ca": {
			"subject": "Canvis: {{.Title}} — {{.Date}}", "intro": "L'assemblea {{.Title}} ha canviat.", "changed": "Què ha canviat",
			"changed_time": "la data i l'hora", "changed_title": "el títol", "changed_description": "la descripció",
			"changed_place": "el lloc", "changed_online_url": "l'enllaç per connectar-s'hi", "changed_agenda": "l'ordre del dia",
			"changed_capacity": "el nombre de places", "changed_rsvp_deadline": "el termini per respondre",
			"previously": "Abans",
			"answer":     "La teva resposta es manté. Per canviar-la, fes servir l'enllaç del correu d'invitació.",
			"calendar":   "L'actualització adjunta (invite.ics) canvia l'assemblea al teu calendari.",
		},
	}
}

func assemblyCancelledWords() map[string]map[string]string {
	return map[string]map[string]string{
		"en": {"subject": "Cancelled: {{.Title}} — {{.Date}}", "intro": "The assembly {{.Title}} has been cancelled.", "reason": "Reason",
			"calendar": "The attached cancellation (invite.ics) removes it from your calendar."},
		"es": {"subject": "Cancelada: {{.Title}} — {{.Date}}", "intro": "La asamblea {{.Title}} se ha cancelado.", "reason": "Motivo",
			"calendar": "La cancelación adjunta (invite.ics) la quita de tu calendario."},
		"fr": {"subject": "Annulée : {{.Title}} — {{.Date}}", "intro": "L'assemblée {{.Title}} est annulée.", "reason": "Motif",
			"calendar": "L'annulation jointe (invite.ics) la retire de votre agenda."},
		"pt": {"subject": "Cancelada: {{.Title}} — {{.Date}}", "intro": "A assembleia {{.Title}} foi cancelada.", "reason": "Motivo",
			"calendar": "O cancelamento em anexo (invite.ics) retira-a do seu calendário."},
		"ca": {"subject": "Cancel·lada: {{.Title}} — {{.Date}}", "intro": "L'assemblea {{.Title}} s'ha cancel·lat.", "reason": "Motiu",
			"calendar": "La cancel·lació adjunta (invite.ics) la treu del teu calendari."},
	}
}

func assemblyUninvitedWords() map[string]map[string]string {
	return map[string]map[string]string{
		"en": {"subject": "Invitation withdrawn: {{.Title}} — {{.Date}}",
			"intro":    "The coordinators have withdrawn your invitation to {{.Title}}: you are no longer expected at this assembly, and the link in your invitation no longer works.",
			"calendar": "The attached cancellation (invite.ics) removes it from your calendar."},
		"es": {"subject": "Invitación retirada: {{.Title}} — {{.Date}}",
			"intro":    "Los coordinadores han retirado tu invitación a {{.Title}}: ya no se espera tu asistencia a esta asamblea y el enlace de la invitación ya no funciona.",
			"calendar": "La cancelación adjunta (invite.ics) la quita de tu calendario."},
		"fr": {"subject": "Invitation retirée : {{.Title}} — {{.Date}}",
			"intro":    "Les coordinateurs ont retiré votre invitation à {{.Title}} : votre présence à cette assemblée n'est plus attendue et le lien de l'invitation ne fonctionne plus.",
			"calendar": "L'annulation jointe (invite.ics) la retire de votre agenda."},
		"pt": {"subject": "Convite retirado: {{.Title}} — {{.Date}}",
			"intro":    "Os coordenadores retiraram o seu convite para {{.Title}}: a sua presença nesta assembleia já não é esperada e o link do convite deixou de funcionar.",
			"calendar": "O cancelamento em anexo (invite.ics) retira-a do seu calendário."},
		"ca": {"subject": "Invitació retirada: {{.Title}} — {{.Date}}",
			"intro":    "Els coordinadors han retirat la teva invitació a {{.Title}}: ja no s'espera la teva assistència a aquesta assemblea i l'enllaç de la invitació ja no funciona.",
			"calendar": "La cancel·lació adjunta (invite.ics) la treu del teu calendari."},
	}
}

func assemblyReminderWords() map[string]map[string]string {
	return map[string]map[string]string{
		"en": {"subject": "Reminder: {{.Title}} — {{.Date}}", "intro": "A reminder of the assembly {{.Title}}, to which you are invited.",
			"answer": "To answer the invitation or change your answer, use the link in your invitation email."},
		"es": {"subject": "Recordatorio: {{.Title}} — {{.Date}}", "intro": "Te recordamos la asamblea {{.Title}}, a la que te hemos invitado.",
			"answer": "Para responder a la invitación o cambiar tu respuesta, usa el enlace del correo de invitación."},
		"fr": {"subject": "Rappel : {{.Title}} — {{.Date}}", "intro": "Nous vous rappelons l'assemblée {{.Title}}, à laquelle nous vous avons invité.",
			"answer": "Pour répondre à l'invitation ou modifier votre réponse, utilisez le lien de votre e-mail d'invitation."},
		"pt": {"subject": "Lembrete: {{.Title}} — {{.Date}}", "intro": "Lembramos a assembleia {{.Title}}, para a qual tem um convite.",
			"answer": "Para responder ao convite ou alterar a sua resposta, use o link do email de convite."},
		"ca": {"subject": "Recordatori: {{.Title}} — {{.Date}}", "intro": "Et recordem l'assemblea {{.Title}}, a la qual et vam convidar.",
			"answer": "Per respondre la invitació o canviar la resposta, fes servir l'enllaç del correu d'invitació."},
	}
}

func assemblyMinutesWords() map[string]map[string]string {
	return map[string]map[string]string{
		"en": {"subject": "Minutes: {{.Title}}", "intro": "The minutes of the assembly {{.Title}} of {{.Date}} are published.",
			"outcomes": "Outcomes", "minutes": "Minutes"},
		"es": {"subject": "Acta: {{.Title}}", "intro": "Se ha publicado el acta de la asamblea {{.Title}} del {{.Date}}.",
			"outcomes": "Acuerdos", "minutes": "Acta"},
		"fr": {"subject": "Compte rendu : {{.Title}}", "intro": "Le compte rendu de l'assemblée {{.Title}} du {{.Date}} est publié.",
			"outcomes": "Décisions", "minutes": "Compte rendu"},
		"pt": {"subject": "Ata: {{.Title}}", "intro": "Foi publicada a ata da assembleia {{.Title}} de {{.Date}}.",
			"outcomes": "Decisões", "minutes": "Ata"},
		"ca": {"subject": "Acta: {{.Title}}", "intro": "S'ha publicat l'acta de l'assemblea {{.Title}} del {{.Date}}.",
			"outcomes": "Acords", "minutes": "Acta"},
	}
}
