package templates

// coordinatorWords are the phrases of the emails to the coordinators'
// address list (see WordSet): petition milestones and goals.
func coordinatorWords() map[string]map[string]map[string]string {
	return map[string]map[string]map[string]string{
		"petition_milestone": {
			"en": {
				"subject": "{{.City}}: the petition passed {{.Milestone}} signatures",
				"intro":   "The petition asking {{.City}} to join the coalition has passed {{.Milestone}} confirmed signatures ({{.Count}} now).",
				"button":  "See the petition",
			},
			"es": {
				"subject": "{{.City}}: la petición superó las {{.Milestone}} firmas",
				"intro":   "La petición para que {{.City}} se una a la coalición ha superado las {{.Milestone}} firmas confirmadas ({{.Count}} ahora).",
				"button":  "Ver la petición",
			},
			"fr": {
				"subject": "{{.City}} : la pétition a dépassé {{.Milestone}} signatures",
				"intro":   "La pétition demandant à {{.City}} de rejoindre la coalition a dépassé {{.Milestone}} signatures confirmées ({{.Count}} à présent).",
				"button":  "Voir la pétition",
			},
			"pt": {
				"subject": "{{.City}}: a petição ultrapassou {{.Milestone}} assinaturas",
				"intro":   "A petição que pede a {{.City}} para aderir à coligação ultrapassou {{.Milestone}} assinaturas confirmadas ({{.Count}} agora).",
				"button":  "Ver a petição",
			},
			"ca": {
				"subject": "{{.City}}: la petició ha superat les {{.Milestone}} signatures",
				"intro":   "La petició perquè {{.City}} s'uneixi a la coalició ha superat les {{.Milestone}} signatures confirmades ({{.Count}} ara).",
				"button":  "Veure la petició",
			},
		},
		"petition_goal_reached": {
			"en": {
				"subject": "{{.City}}: the petition reached its goal",
				"intro":   "The petition asking {{.City}} to join the coalition reached its goal of {{.Goal}} confirmed signatures ({{.Count}} now).",
				"action":  "It is time to bring it to the city.",
				"button":  "See the petition",
			},
			"es": {
				"subject": "{{.City}}: la petición alcanzó su objetivo",
				"intro":   "La petición para que {{.City}} se una a la coalición alcanzó su objetivo de {{.Goal}} firmas confirmadas ({{.Count}} ahora).",
				"action":  "Es el momento de llevarla a la ciudad.",
				"button":  "Ver la petición",
			},
			"fr": {
				"subject": "{{.City}} : la pétition a atteint son objectif",
				"intro":   "La pétition demandant à {{.City}} de rejoindre la coalition a atteint son objectif de {{.Goal}} signatures confirmées ({{.Count}} à présent).",
				"action":  "C'est le moment de la porter à la ville.",
				"button":  "Voir la pétition",
			},
			"pt": {
				"subject": "{{.City}}: a petição atingiu o objetivo",
				"intro":   "A petição que pede a {{.City}} para aderir à coligação atingiu o objetivo de {{.Goal}} assinaturas confirmadas ({{.Count}} agora).",
				"action":  "É altura de a levar à cidade.",
				"button":  "Ver a petição",
			},
			"ca": {
				"subject": "{{.City}}: la petició ha assolit el seu objectiu",
				"intro":   "La petició perquè {{.City}} s'uneixi a la coalició ha assolit el seu objectiu de {{.Goal}} signatures confirmades ({{.Count}} ara).",
				"action":  "És el moment de portar-la a la ciutat.",
				"button":  "Veure la petició",
			},
		},
	}
}
