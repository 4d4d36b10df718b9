package templates

// outcomeWords are the phrases of the petition outcome emails (see words).
func outcomeWords() map[string]map[string]map[string]string {
	return map[string]map[string]map[string]string{
		"petition_succeeded": {
			"en": {
				"subject":  "{{.City}} joined the coalition: {{.PetitionTitle}}",
				"greeting": "Hello {{.Name}},",
				"intro":    "Good news: {{.City}} has joined the Cities Coalition for Digital Rights, as the petition you signed asked.",
				"thanks":   "Thank you for adding your voice. You asked to hear the outcome; this is the last email about this petition.",
				"button":   "See the petition",
			},
			"es": {
				"subject":  "{{.City}} se ha unido a la coalición: {{.PetitionTitle}}",
				"greeting": "Hola {{.Name}}:",
				"intro":    "Buenas noticias: {{.City}} se ha unido a la Coalición de Ciudades por los Derechos Digitales, como pedía la petición que firmaste.",
				"thanks":   "Gracias por sumar tu voz. Pediste conocer el resultado; este es el último correo sobre esta petición.",
				"button":   "Ver la petición",
			},
			"fr": {
				"subject":  "{{.City}} a rejoint la coalition : {{.PetitionTitle}}",
				"greeting": "Bonjour {{.Name}},",
				"intro":    "Bonne nouvelle : {{.City}} a rejoint la Coalition des villes pour les droits numériques, comme le demandait la pétition que vous avez signée.",
				"thanks":   "Merci d'avoir apporté votre voix. Vous avez demandé à connaître le résultat ; c'est le dernier message au sujet de cette pétition.",
				"button":   "Voir la pétition",
			},
			"pt": {
				"subject":  "{{.City}} aderiu à coligação: {{.PetitionTitle}}",
				"greeting": "Olá {{.Name}},",
				"intro":    "Boas notícias: {{.City}} aderiu à Coligação de Cidades pelos Direitos Digitais, como pedia a petição que assinou.",
				"thanks":   "Obrigado por juntar a sua voz. Pediu para saber o resultado; este é o último email sobre esta petição.",
				"button":   "Ver a petição",
			},
			"ca": {
				"subject":  "{{.City}} s'ha unit a la coalició: {{.PetitionTitle}}",
				"greeting": "Hola {{.Name}},",
				"intro":    "Bones notícies: {{.City}} s'ha unit a la Coalició de Ciutats pels Drets Digitals, com demanava la petició que vas signar.",
				"thanks":   "Gràcies per sumar-hi la teva veu. Vas demanar conèixer el resultat; aquest és l'últim correu sobre aquesta petició.",
				"button":   "Veure la petició",
			},
		},
	}
}
