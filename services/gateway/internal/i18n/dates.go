package i18n

import (
	"strconv"
	"strings"
	"time"
)

// Month and weekday names and the long date patterns of each language, as
// CLDR writes them (d MMMM y and its equivalents; 24-hour clock everywhere).
// golang.org/x/text formats numbers but not dates, hence this small table.

var months = map[string][12]string{
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"es": {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	"pt": {"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"},
	"ca": {"gener", "febrer", "març", "abril", "maig", "juny", "juliol", "agost", "setembre", "octubre", "novembre", "desembre"},
}

var weekdays = map[string][7]string{ // Sunday first, as time.Weekday
	"en": {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
	"es": {"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"},
	"fr": {"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
	"pt": {"domingo", "segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado"},
	"ca": {"diumenge", "dilluns", "dimarts", "dimecres", "dijous", "divendres", "dissabte"},
}

// Date formats the calendar date of t (in t's location), e.g. "3 March
// 2026", "3 de marzo de 2026", "3 d’abril de 2026".
func (l *Locale) Date(t time.Time) string {
	day, month, year := strconv.Itoa(t.Day()), months[l.code][t.Month()-1], strconv.Itoa(t.Year())
	switch l.code {
	case "es", "pt":
		return day + " de " + month + " de " + year
	case "ca":
		return day + " " + catalanOf(month) + " de " + year
	default:
		return day + " " + month + " " + year
	}
}

// LongDate is [Locale.Date] with the weekday: "Tuesday 3 March 2026",
// "martes, 3 de marzo de 2026".
func (l *Locale) LongDate(t time.Time) string {
	wd := weekdays[l.code][t.Weekday()]
	switch l.code {
	case "en", "fr":
		return wd + " " + l.Date(t)
	default:
		return wd + ", " + l.Date(t)
	}
}

// ShortDate is the day and month of t, for chart labels: "3 March",
// "3 de marzo".
func (l *Locale) ShortDate(t time.Time) string {
	day, month := strconv.Itoa(t.Day()), months[l.code][t.Month()-1]
	switch l.code {
	case "es", "pt":
		return day + " de " + month
	case "ca":
		return day + " " + catalanOf(month)
	default:
		return day + " " + month
	}
}

// MonthYear formats the month of t: "March 2026", "marzo de 2026".
func (l *Locale) MonthYear(t time.Time) string {
	month, year := months[l.code][t.Month()-1], strconv.Itoa(t.Year())
	switch l.code {
	case "es", "pt", "ca":
		return month + " de " + year
	default:
		return month + " " + year
	}
}

// Clock formats the time of day of t on a 24-hour clock: "09:30".
func (l *Locale) Clock(t time.Time) string { return t.Format("15:04") }

// catalanOf is "de <month>" with the elision Catalan makes before a vowel:
// "de març", "d’abril".
func catalanOf(month string) string {
	if strings.ContainsRune("aeiouàèéíòóú", []rune(month)[0]) {
		return "d’" + month
	}
	return "de " + month
}
