package templates

// signerWords are the phrases of the emails that answer a signer (see
// WordSet): signing again once confirmed, and withdrawing.
func signerWords() map[string]map[string]map[string]string {
	return map[string]map[string]map[string]string{
		"signature_already_confirmed": {
			"en": {
				"subject":  "You have already signed: {{.PetitionTitle}}",
				"greeting": "Hello {{.Name}},",
				"intro":    "Someone, probably you, signed the petition asking {{.City}} to join the Cities Coalition for Digital Rights again with this email address.",
				"already":  "Your signature is already confirmed and counts: there is nothing more to do.",
				"notyou":   "If it was not you, you can ignore this email: nothing has changed.",
				"button":   "See the petition",
			},
			"es": {
				"subject":  "Ya has firmado: {{.PetitionTitle}}",
				"greeting": "Hola {{.Name}}:",
				"intro":    "Alguien, probablemente tú, ha vuelto a firmar con esta dirección la petición para que {{.City}} se una a la Coalición de Ciudades por los Derechos Digitales.",
				"already":  "Tu firma ya está confirmada y cuenta: no tienes que hacer nada más.",
				"notyou":   "Si no has sido tú, puedes ignorar este correo: no ha cambiado nada.",
				"button":   "Ver la petición",
			},
			"fr": {
				"subject":  "Vous avez déjà signé : {{.PetitionTitle}}",
				"greeting": "Bonjour {{.Name}},",
				"intro":    "Quelqu'un, probablement vous, a de nouveau signé avec cette adresse la pétition demandant à {{.City}} de rejoindre la Coalition des villes pour les droits numériques.",
				"already":  "Votre signature est déjà confirmée et compte : vous n'avez rien d'autre à faire.",
				"notyou":   "Si ce n'était pas vous, ignorez ce message : rien n'a changé.",
				"button":   "Voir la pétition",
			},
			"pt": {
				"subject":  "Já assinou: {{.PetitionTitle}}",
				"greeting": "Olá {{.Name}},",
				"intro":    "Alguém, provavelmente você, voltou a assinar com este endereço a petição que pede a {{.City}} para aderir à Coligação de Cidades pelos Direitos Digitais.",
				"already":  "A sua assinatura já está confirmada e conta: não precisa de fazer mais nada.",
				"notyou":   "Se não foi você, pode ignorar este email: nada mudou.",
				"button":   "Ver a petição",
			},
			"ca": {
				"subject":  "Ja has signat: {{.PetitionTitle}}",
				"greeting": "Hola {{.Name}},",
				"intro":    "Algú, probablement tu, ha tornat a signar amb aquesta adreça la petició perquè {{.City}} s'uneixi a la Coalició de Ciutats pels Drets Digitals.",
				"already":  "La teva signatura ja està confirmada i compta: no has de fer res més.",
				"notyou":   "Si no has estat tu, pots ignorar aquest correu: no ha canviat res.",
				"button":   "Veure la petició",
			},
		},
		"signature_withdrawn": {
			"en": {
				"subject":  "Your signature is withdrawn: {{.PetitionTitle}}",
				"greeting": "Hello {{.Name}},",
				"intro":    "Your signature on the petition asking {{.City}} to join the Cities Coalition for Digital Rights is withdrawn: it no longer counts, and your name and email address are removed from the petition.",
				"notyou":   "If you did not withdraw it, you can sign again on the petition's page.",
				"button":   "See the petition",
			},
			"es": {
				"subject":  "Tu firma se ha retirado: {{.PetitionTitle}}",
				"greeting": "Hola {{.Name}}:",
				"intro":    "Tu firma en la petición para que {{.City}} se una a la Coalición de Ciudades por los Derechos Digitales se ha retirado: ya no cuenta, y tu nombre y tu dirección de correo se han eliminado de la petición.",
				"notyou":   "Si no la has retirado tú, puedes volver a firmar en la página de la petición.",
				"button":   "Ver la petición",
			},
			"fr": {
				"subject":  "Votre signature est retirée : {{.PetitionTitle}}",
				"greeting": "Bonjour {{.Name}},",
				"intro":    "Votre signature de la pétition demandant à {{.City}} de rejoindre la Coalition des villes pour les droits numériques est retirée : elle ne compte plus, et votre nom et votre adresse sont supprimés de la pétition.",
				"notyou":   "Si vous ne l'avez pas retirée, vous pouvez signer à nouveau sur la page de la pétition.",
				"button":   "Voir la pétition",
			},
			"pt": {
				"subject":  "A sua assinatura foi retirada: {{.PetitionTitle}}",
				"greeting": "Olá {{.Name}},",
				"intro":    "A sua assinatura na petição que pede a {{.City}} para aderir à Coligação de Cidades pelos Direitos Digitais foi retirada: já não conta, e o seu nome e endereço de email foram removidos da petição.",
				"notyou":   "Se não a retirou, pode voltar a assinar na página da petição.",
				"button":   "Ver a petição",
			},
			"ca": {
				"subject":  "La teva signatura s'ha retirat: {{.PetitionTitle}}",
				"greeting": "Hola {{.Name}},",
				"intro":    "La teva signatura a la petició perquè {{.City}} s'uneixi a la Coalició de Ciutats pels Drets Digitals s'ha retirat: ja no compta, i el teu nom i la teva adreça de correu s'han eliminat de la petició.",
				"notyou":   "Si no l'has retirada tu, pots tornar a signar a la pàgina de la petició.",
				"button":   "Veure la petició",
			},
		},
	}
}
