package web

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"golang.org/x/text/number"
)

// Dates and numbers in the reader's language. x/text has no month names,
// so each language's are here, with the order its dates are written in.

// dateStyle is how a language writes a date: its month names and a format
// of day (%[1]d), month (%[2]s) and year (%[3]d).
type dateStyle struct {
	months [12]string
	format string
}

var dateStyles = map[string]dateStyle{
	"en": {[12]string{"January", "February", "March", "April", "May", "June", "July", "August",
		"September", "October", "November", "December"}, "%[1]d %[2]s %[3]d"},
	"es": {[12]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
		"septiembre", "octubre", "noviembre", "diciembre"}, "%[1]d de %[2]s de %[3]d"},
	"fr": {[12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
		"septembre", "octobre", "novembre", "décembre"}, "%[1]d %[2]s %[3]d"},
	"pt": {[12]string{"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto",
		"setembro", "outubro", "novembro", "dezembro"}, "%[1]d de %[2]s de %[3]d"},
	"de": {[12]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
		"September", "Oktober", "November", "Dezember"}, "%[1]d. %[2]s %[3]d"},
}

// date writes the day of t (a time.Time or *time.Time, in UTC), such as
// "2 de enero de 2026".
func (l *locale) date(t any) string {
	d := timeOf(t)
	st, ok := dateStyles[l.Code]
	if !ok {
		st = dateStyles["en"]
	}
	return fmt.Sprintf(st.format, d.Day(), st.months[d.Month()-1], d.Year())
}

// moment writes the day and time of t, such as "2 January 2026, 15:04 UTC".
func (l *locale) moment(t any) string {
	d := timeOf(t)
	return l.date(d) + ", " + d.Format("15:04 MST")
}

// languageNames names language codes (an enterprise's languages) in the
// language l: "es, en" reads "español, inglés" in Spanish. A code that does
// not parse is shown as it is.
func (l *locale) languageNames(codes []string) string {
	namer := display.Tags(l.tag)
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = c
		if tag, err := language.Parse(c); err == nil {
			if n := namer.Name(tag); n != "" {
				names[i] = n
			}
		}
	}
	return strings.Join(names, ", ")
}

// count writes a count with the language's thousands separator, and a
// plus when there are more (see countLabel).
func (l *locale) count(n int, more bool) string {
	s := l.printer.Sprintf("%d", n)
	if more {
		s += "+"
	}
	return s
}

// number writes a quantity as briefly as it can, with the language's
// decimal separator.
func (l *locale) number(f *float64) string {
	return l.printer.Sprint(number.Decimal(*f, number.MaxFractionDigits(6)))
}

// km writes a distance for people: one decimal under 10 km.
func (l *locale) km(km *float64) string {
	if km == nil {
		return ""
	}
	digits := 0
	if *km < 10 {
		digits = 1
	}
	return l.printer.Sprint(number.Decimal(*km, number.Scale(digits))) + " km"
}
