package templates

// words are the phrases of each template in each language. Each phrase is a
// text/template over the render data; the filled-in phrases are then placed
// (and, in the HTML part, escaped) by the layout templates in files/.
func words() map[string]map[string]map[string]string {
	return map[string]map[string]map[string]string{
		"signature_confirmation": {
			"en": {
				"subject":  "Confirm your signature: {{.PetitionTitle}}",
				"greeting": "Hello {{.Name}},",
				"intro":    "Thank you for signing the petition asking {{.City}} to join the Cities Coalition for Digital Rights.",
				"action":   "Please confirm your signature by following this link:",
				"button":   "Confirm my signature",
				"expiry":   "The link works until {{.ExpiresAt}}.",
				"ignore":   "If you did not sign, ignore this email: without confirmation the signature is deleted.",
				"withdraw": "To withdraw your signature later, use this link:",
			},
			"es": {
				"subject":  "Confirma tu firma: {{.PetitionTitle}}",
				"greeting": "Hola {{.Name}}:",
				"intro":    "Gracias por firmar la petición para que {{.City}} se una a la Coalición de Ciudades por los Derechos Digitales.",
				"action":   "Confirma tu firma siguiendo este enlace:",
				"button":   "Confirmar mi firma",
				"expiry":   "El enlace funciona hasta el {{.ExpiresAt}}.",
				"ignore":   "Si no has firmado, ignora este correo: sin confirmación, la firma se elimina.",
				"withdraw": "Para retirar tu firma más adelante, usa este enlace:",
			},
			"fr": {
				"subject":  "Confirmez votre signature : {{.PetitionTitle}}",
				"greeting": "Bonjour {{.Name}},",
				"intro":    "Merci d'avoir signé la pétition demandant à {{.City}} de rejoindre la Coalition des villes pour les droits numériques.",
				"action":   "Veuillez confirmer votre signature en suivant ce lien :",
				"button":   "Confirmer ma signature",
				"expiry":   "Le lien est valable jusqu'au {{.ExpiresAt}}.",
				"ignore":   "Si vous n'avez pas signé, ignorez ce message : sans confirmation, la signature est supprimée.",
				"withdraw": "Pour retirer votre signature plus tard, utilisez ce lien :",
			},
			"pt": {
				"subject":  "Confirme a sua assinatura: {{.PetitionTitle}}",
				"greeting": "Olá {{.Name}},",
				"intro":    "Obrigado por assinar a petição que pede a {{.City}} para aderir à Coligação de Cidades pelos Direitos Digitais.",
				"action":   "Confirme a sua assinatura seguindo este link:",
				"button":   "Confirmar a minha assinatura",
				"expiry":   "O link funciona até {{.ExpiresAt}}.",
				"ignore":   "Se não assinou, ignore este email: sem confirmação, a assinatura é apagada.",
				"withdraw": "Para retirar a sua assinatura mais tarde, use este link:",
			},
			"ca": {
				"subject":  "Confirma la teva signatura: {{.PetitionTitle}}",
				"greeting": "Hola {{.Name}},",
				"intro":    "Gràcies per signar la petició perquè {{.City}} s'uneixi a la Coalició de Ciutats pels Drets Digitals.",
				"action":   "Confirma la teva signatura seguint aquest enllaç:",
				"button":   "Confirmar la meva signatura",
				"expiry":   "L'enllaç funciona fins al {{.ExpiresAt}}.",
				"ignore":   "Si no has signat, ignora aquest correu: sense confirmació, la signatura s'elimina.",
				"withdraw": "Per retirar la teva signatura més endavant, fes servir aquest enllaç:",
			},
		},
	}
}
