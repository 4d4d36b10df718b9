package pages

import (
	"fmt"
	"net/http"
)

// preferenceWords are the preferences page's own phrases in each language
// (the categories' names and descriptions come from the notification
// service, in the requested language).
type preferenceWords struct {
	Heading, Intro, Essential, Receiving, NotReceiving, Stop, Start, Saved, UnsubscribeFrom string
	unsubscribedFormat                                                                      string
}

func (w preferenceWords) unsubscribed(title string) string {
	return fmt.Sprintf(w.unsubscribedFormat, title)
}

// UnsubscribeButton labels the one-click button for a category.
func (w preferenceWords) UnsubscribeButton(title string) string {
	return fmt.Sprintf(w.UnsubscribeFrom, title)
}

func wordsFor(r *http.Request) preferenceWords {
	if w, ok := allPreferenceWords()[localeOf(r).Code()]; ok {
		return w
	}
	return allPreferenceWords()["en"]
}

func allPreferenceWords() map[string]preferenceWords {
	return map[string]preferenceWords{
		"en": {
			Heading:            "Your email preferences",
			Intro:              "Choose which optional emails this address receives from the Cities Coalition for Digital Rights. Changes apply to the next email.",
			Essential:          "Essential emails (confirmation links, answers to what you asked for, invitations and decisions) are always sent.",
			Receiving:          "You receive these emails.",
			NotReceiving:       "You do not receive these emails.",
			Stop:               "Stop these emails",
			Start:              "Receive these emails again",
			Saved:              "Your choice is saved.",
			UnsubscribeFrom:    "Unsubscribe from “%s”",
			unsubscribedFormat: "You are unsubscribed from “%s”. You will not receive these emails any more.",
		},
		"es": {
			Heading:            "Tus preferencias de correo",
			Intro:              "Elige qué correos opcionales recibe esta dirección de la Coalición de Ciudades por los Derechos Digitales. Los cambios se aplican al próximo correo.",
			Essential:          "Los correos esenciales (enlaces de confirmación, respuestas a lo que pediste, invitaciones y decisiones) se envían siempre.",
			Receiving:          "Recibes estos correos.",
			NotReceiving:       "No recibes estos correos.",
			Stop:               "Dejar de recibirlos",
			Start:              "Volver a recibirlos",
			Saved:              "Tu elección se ha guardado.",
			UnsubscribeFrom:    "Darme de baja de «%s»",
			unsubscribedFormat: "Te has dado de baja de «%s». Ya no recibirás estos correos.",
		},
		"fr": {
			Heading:            "Vos préférences de messagerie",
			Intro:              "Choisissez les messages facultatifs que cette adresse reçoit de la Coalition des villes pour les droits numériques. Les changements s'appliquent au prochain message.",
			Essential:          "Les messages essentiels (liens de confirmation, réponses à vos demandes, invitations et décisions) sont toujours envoyés.",
			Receiving:          "Vous recevez ces messages.",
			NotReceiving:       "Vous ne recevez pas ces messages.",
			Stop:               "Ne plus les recevoir",
			Start:              "Les recevoir à nouveau",
			Saved:              "Votre choix est enregistré.",
			UnsubscribeFrom:    "Me désabonner de « %s »",
			unsubscribedFormat: "Vous êtes désabonné·e de « %s ». Vous ne recevrez plus ces messages.",
		},
		"pt": {
			Heading:            "As suas preferências de email",
			Intro:              "Escolha que emails opcionais este endereço recebe da Coligação de Cidades pelos Direitos Digitais. As alterações aplicam-se ao próximo email.",
			Essential:          "Os emails essenciais (links de confirmação, respostas ao que pediu, convites e decisões) são sempre enviados.",
			Receiving:          "Recebe estes emails.",
			NotReceiving:       "Não recebe estes emails.",
			Stop:               "Deixar de os receber",
			Start:              "Voltar a recebê-los",
			Saved:              "A sua escolha foi guardada.",
			UnsubscribeFrom:    "Cancelar a subscrição de «%s»",
			unsubscribedFormat: "Cancelou a subscrição de «%s». Deixará de receber estes emails.",
		},
		"ca": {
			Heading:            "Les teves preferències de correu",
			Intro:              "Tria quins correus opcionals rep aquesta adreça de la Coalició de Ciutats pels Drets Digitals. Els canvis s'apliquen al proper correu.",
			Essential:          "Els correus essencials (enllaços de confirmació, respostes al que has demanat, invitacions i decisions) s'envien sempre.",
			Receiving:          "Reps aquests correus.",
			NotReceiving:       "No reps aquests correus.",
			Stop:               "Deixar de rebre'ls",
			Start:              "Tornar a rebre'ls",
			Saved:              "La teva elecció s'ha desat.",
			UnsubscribeFrom:    "Donar-me de baixa de «%s»",
			unsubscribedFormat: "T'has donat de baixa de «%s». Ja no rebràs aquests correus.",
		},
	}
}
