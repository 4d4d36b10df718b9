package templates

// membershipWords are the phrases of the emails about a city's application
// and to new representatives (see WordSet).
func membershipWords() map[string]map[string]map[string]string {
	return map[string]map[string]map[string]string{
		"application_received": {
			"en": {
				"subject":  "We received the application of {{.City}}",
				"greeting": "Hello {{.ContactName}},",
				"intro":    "Thank you: the application of {{.City}} to join the Cities Coalition for Digital Rights has reached the coordinators.",
				"next":     "They will review it and write to you at this address with their decision.",
				"ref":      "Application reference: {{.ApplicationID}}",
			},
			"es": {
				"subject":  "Hemos recibido la solicitud de {{.City}}",
				"greeting": "Hola {{.ContactName}}:",
				"intro":    "Gracias: la solicitud de {{.City}} para unirse a la Coalición de Ciudades por los Derechos Digitales ha llegado a los coordinadores.",
				"next":     "La revisarán y te escribirán a esta dirección con su decisión.",
				"ref":      "Referencia de la solicitud: {{.ApplicationID}}",
			},
			"fr": {
				"subject":  "Nous avons reçu la candidature de {{.City}}",
				"greeting": "Bonjour {{.ContactName}},",
				"intro":    "Merci : la candidature de {{.City}} pour rejoindre la Coalition des villes pour les droits numériques est parvenue aux coordinateurs.",
				"next":     "Ils l'examineront et vous écriront à cette adresse pour vous communiquer leur décision.",
				"ref":      "Référence de la candidature : {{.ApplicationID}}",
			},
			"pt": {
				"subject":  "Recebemos a candidatura de {{.City}}",
				"greeting": "Olá {{.ContactName}},",
				"intro":    "Obrigado: a candidatura de {{.City}} para aderir à Coligação de Cidades pelos Direitos Digitais chegou aos coordenadores.",
				"next":     "Vão analisá-la e escrever-lhe para este endereço com a decisão.",
				"ref":      "Referência da candidatura: {{.ApplicationID}}",
			},
			"ca": {
				"subject":  "Hem rebut la sol·licitud de {{.City}}",
				"greeting": "Hola {{.ContactName}},",
				"intro":    "Gràcies: la sol·licitud de {{.City}} per unir-se a la Coalició de Ciutats pels Drets Digitals ha arribat als coordinadors.",
				"next":     "La revisaran i t'escriuran a aquesta adreça amb la seva decisió.",
				"ref":      "Referència de la sol·licitud: {{.ApplicationID}}",
			},
		},
		"application_approved": {
			"en": {
				"subject":  "Welcome to the coalition, {{.City}}",
				"greeting": "Hello {{.ContactName}},",
				"intro":    "The coordinators approved the application of {{.City}}: it is now a member of the Cities Coalition for Digital Rights.",
				"next":     "It appears in the member directory, and the coordinators will be in touch about representatives and the next assemblies.",
				"button":   "See the member directory",
			},
			"es": {
				"subject":  "Bienvenida a la coalición, {{.City}}",
				"greeting": "Hola {{.ContactName}}:",
				"intro":    "Los coordinadores aprobaron la solicitud de {{.City}}: ya es miembro de la Coalición de Ciudades por los Derechos Digitales.",
				"next":     "Aparece en el directorio de miembros, y los coordinadores se pondrán en contacto sobre los representantes y las próximas asambleas.",
				"button":   "Ver el directorio de miembros",
			},
			"fr": {
				"subject":  "Bienvenue dans la coalition, {{.City}}",
				"greeting": "Bonjour {{.ContactName}},",
				"intro":    "Les coordinateurs ont approuvé la candidature de {{.City}} : elle est désormais membre de la Coalition des villes pour les droits numériques.",
				"next":     "Elle figure dans l'annuaire des membres, et les coordinateurs vous contacteront au sujet des représentants et des prochaines assemblées.",
				"button":   "Voir l'annuaire des membres",
			},
			"pt": {
				"subject":  "Bem-vinda à coligação, {{.City}}",
				"greeting": "Olá {{.ContactName}},",
				"intro":    "Os coordenadores aprovaram a candidatura de {{.City}}: é agora membro da Coligação de Cidades pelos Direitos Digitais.",
				"next":     "Aparece no diretório de membros, e os coordenadores entrarão em contacto sobre os representantes e as próximas assembleias.",
				"button":   "Ver o diretório de membros",
			},
			"ca": {
				"subject":  "Benvinguda a la coalició, {{.City}}",
				"greeting": "Hola {{.ContactName}},",
				"intro":    "Els coordinadors han aprovat la sol·licitud de {{.City}}: ja és membre de la Coalició de Ciutats pels Drets Digitals.",
				"next":     "Apareix al directori de membres, i els coordinadors es posaran en contacte sobre els representants i les properes assemblees.",
				"button":   "Veure el directori de membres",
			},
		},
		"application_rejected": {
			"en": {
				"subject":  "Decision on the application of {{.City}}",
				"greeting": "Hello {{.ContactName}},",
				"intro":    "The coordinators reviewed the application of {{.City}} to join the Cities Coalition for Digital Rights and could not approve it this time.",
				"reason":   "Their reason:",
				"again":    "{{.City}} is welcome to apply again once this is addressed.",
			},
			"es": {
				"subject":  "Decisión sobre la solicitud de {{.City}}",
				"greeting": "Hola {{.ContactName}}:",
				"intro":    "Los coordinadores revisaron la solicitud de {{.City}} para unirse a la Coalición de Ciudades por los Derechos Digitales y esta vez no han podido aprobarla.",
				"reason":   "Su motivo:",
				"again":    "{{.City}} puede volver a solicitarlo cuando se haya resuelto.",
			},
			"fr": {
				"subject":  "Décision sur la candidature de {{.City}}",
				"greeting": "Bonjour {{.ContactName}},",
				"intro":    "Les coordinateurs ont examiné la candidature de {{.City}} pour rejoindre la Coalition des villes pour les droits numériques et n'ont pas pu l'approuver cette fois-ci.",
				"reason":   "Leur motif :",
				"again":    "{{.City}} pourra présenter une nouvelle candidature une fois ce point réglé.",
			},
			"pt": {
				"subject":  "Decisão sobre a candidatura de {{.City}}",
				"greeting": "Olá {{.ContactName}},",
				"intro":    "Os coordenadores analisaram a candidatura de {{.City}} para aderir à Coligação de Cidades pelos Direitos Digitais e desta vez não a puderam aprovar.",
				"reason":   "O motivo:",
				"again":    "{{.City}} pode voltar a candidatar-se quando isto estiver resolvido.",
			},
			"ca": {
				"subject":  "Decisió sobre la sol·licitud de {{.City}}",
				"greeting": "Hola {{.ContactName}},",
				"intro":    "Els coordinadors han revisat la sol·licitud de {{.City}} per unir-se a la Coalició de Ciutats pels Drets Digitals i aquesta vegada no l'han pogut aprovar.",
				"reason":   "El seu motiu:",
				"again":    "{{.City}} pot tornar a presentar la sol·licitud quan s'hagi resolt.",
			},
		},
		"representative_welcome": {
			"en": {
				"subject":  "You now represent your city in the Cities Coalition for Digital Rights",
				"greeting": "Hello {{.Name}},",
				"intro":    "The coordinators added you as a representative of your city in the Cities Coalition for Digital Rights.",
				"next":     "You will receive the invitations to the coalition's assemblies at this address, with the times in your time zone.",
				"button":   "See the member cities",
			},
			"es": {
				"subject":  "Ahora representas a tu ciudad en la Coalición de Ciudades por los Derechos Digitales",
				"greeting": "Hola {{.Name}}:",
				"intro":    "Los coordinadores te han añadido como representante de tu ciudad en la Coalición de Ciudades por los Derechos Digitales.",
				"next":     "Recibirás en esta dirección las invitaciones a las asambleas de la coalición, con los horarios en tu zona horaria.",
				"button":   "Ver las ciudades miembro",
			},
			"fr": {
				"subject":  "Vous représentez désormais votre ville dans la Coalition des villes pour les droits numériques",
				"greeting": "Bonjour {{.Name}},",
				"intro":    "Les coordinateurs vous ont ajouté·e comme représentant·e de votre ville dans la Coalition des villes pour les droits numériques.",
				"next":     "Vous recevrez à cette adresse les invitations aux assemblées de la coalition, avec les horaires dans votre fuseau horaire.",
				"button":   "Voir les villes membres",
			},
			"pt": {
				"subject":  "Agora representa a sua cidade na Coligação de Cidades pelos Direitos Digitais",
				"greeting": "Olá {{.Name}},",
				"intro":    "Os coordenadores adicionaram-no como representante da sua cidade na Coligação de Cidades pelos Direitos Digitais.",
				"next":     "Vai receber neste endereço os convites para as assembleias da coligação, com as horas no seu fuso horário.",
				"button":   "Ver as cidades membro",
			},
			"ca": {
				"subject":  "Ara representes la teva ciutat a la Coalició de Ciutats pels Drets Digitals",
				"greeting": "Hola {{.Name}},",
				"intro":    "Els coordinadors t'han afegit com a representant de la teva ciutat a la Coalició de Ciutats pels Drets Digitals.",
				"next":     "Rebràs en aquesta adreça les invitacions a les assemblees de la coalició, amb els horaris a la teva zona horària.",
				"button":   "Veure les ciutats membres",
			},
		},
	}
}
