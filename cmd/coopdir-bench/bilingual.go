package main

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/coopdir/coopdir/directory"
)

// The bilingual data set (-bilingual): every other enterprise, and the
// listings it owns, is written in Spanish with Spanish as its language,
// so that the searches run over entries stemmed in two languages. The
// Spanish text comes from a random source of its own: the English
// entries are the same as in the English data set.

var (
	sustantivos = strings.Fields("panadería imprenta pintura herramientas bicicletas huerto tienda vivienda guardería limpieza café cervecería libros reparación diseño programas solar granja mercado cocina clínica teatro radio transporte textiles cerámica soldadura madera")
	palabras    = strings.Fields("somos una cooperativa de trabajadores democrática que sirve a nuestros vecinos con cuidado desde la fundación los miembros comparten ganancias y decisiones por igual abastecimiento local salarios justos formación aprendices propiedad comunitaria solidaridad economía apoyo mutuo comunidad")
)

// spanishSource is the random source of the Spanish text.
func spanishSource(seed int64) *rand.Rand { return rand.New(rand.NewPCG(uint64(seed), 2)) }

// spanish reports whether enterprise i of the data set is a Spanish one.
func (c config) spanish(i int) bool { return c.bilingual && i%2 == 1 }

// hispanize rewrites enterprise e, number i, in Spanish.
func hispanize(r *rand.Rand, e *directory.Enterprise, i int) {
	noun := pick(r, sustantivos)
	e.Name = fmt.Sprintf("Cooperativa de %s %d", noun, i)
	e.Sectors = []string{noun, pick(r, sustantivos)}
	e.Summary = frase(r, 12+r.IntN(20))
	e.Languages = []string{"es"}
}

// hispanizeListing rewrites l in Spanish.
func hispanizeListing(r *rand.Rand, l *directory.Listing) {
	l.Title = fmt.Sprintf("Se busca %s para %s", pick(r, sustantivos), pick(r, sustantivos))
	l.Description = frase(r, 10+r.IntN(30))
}

func frase(r *rand.Rand, n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = pick(r, palabras)
	}
	return strings.Join(w, " ")
}

// bilingualQueries are the extra searches of the bilingual data set.
func bilingualQueries() []query {
	return []query{
		enterprises("enterprises: Spanish word (panaderías)", directory.EnterpriseQuery{Text: "panaderías"}),
		enterprises("enterprises: Spanish reader (cooperativa, lang es)", directory.EnterpriseQuery{Text: "cooperativa", Language: "es"}),
		listings("listings: Spanish word (bicicleta)", directory.ListingQuery{Text: "bicicleta"}),
	}
}
