package templates

// privacyWords are the phrases of the erasure emails (see words).
func privacyWords() map[string]map[string]map[string]string {
	return map[string]map[string]map[string]string{
		"erasure_confirmation": {
			"en": {
				"subject": "Confirm: erase your signatures",
				"intro":   "Someone asked to erase every petition signature made with this email address on the Cities Coalition for Digital Rights.",
				"action":  "If it was you, confirm by following this link:",
				"button":  "Erase my signatures",
				"expiry":  "The link works until {{.ExpiresAt}}.",
				"ignore":  "If it was not you, ignore this email: nothing will be erased.",
			},
			"es": {
				"subject": "Confirma: borrar tus firmas",
				"intro":   "Alguien ha pedido borrar todas las firmas de peticiones hechas con esta dirección en la Coalición de Ciudades por los Derechos Digitales.",
				"action":  "Si has sido tú, confírmalo siguiendo este enlace:",
				"button":  "Borrar mis firmas",
				"expiry":  "El enlace funciona hasta el {{.ExpiresAt}}.",
				"ignore":  "Si no has sido tú, ignora este correo: no se borrará nada.",
			},
			"fr": {
				"subject": "Confirmez : effacer vos signatures",
				"intro":   "Quelqu'un a demandé d'effacer toutes les signatures de pétitions faites avec cette adresse sur la Coalition des villes pour les droits numériques.",
				"action":  "Si c'est vous, confirmez en suivant ce lien :",
				"button":  "Effacer mes signatures",
				"expiry":  "Le lien est valable jusqu'au {{.ExpiresAt}}.",
				"ignore":  "Si ce n'est pas vous, ignorez ce message : rien ne sera effacé.",
			},
			"pt": {
				"subject": "Confirme: apagar as suas assinaturas",
				"intro":   "Alguém pediu para apagar todas as assinaturas de petições feitas com este endereço na Coligação de Cidades pelos Direitos Digitais.",
				"action":  "Se foi você, confirme seguindo este link:",
				"button":  "Apagar as minhas assinaturas",
				"expiry":  "O link funciona até {{.ExpiresAt}}.",
				"ignore":  "Se não foi você, ignore este email: nada será apagado.",
			},
			"ca": {
				"subject": "Confirma: esborrar les teves signatures",
				"intro":   "Algú ha demanat esborrar totes les signatures de peticions fetes amb aquesta adreça a la Coalició de Ciutats pels Drets Digitals.",
				"action":  "Si has estat tu, confirma-ho seguint aquest enllaç:",
				"button":  "Esborrar les meves signatures",
				"expiry":  "L'enllaç funciona fins al {{.ExpiresAt}}.",
				"ignore":  "Si no has estat tu, ignora aquest correu: no s'esborrarà res.",
			},
		},
	}
}
