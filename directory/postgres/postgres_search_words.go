package postgres

import (
	"context"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory/fulltext"
)

// maxPrefixWords is the most words a prefix term is looked up as; a
// prefix that starts more stays a prefix.
const maxPrefixWords = 32

// lookUp turns the text condition of w, if it has one, into the form the
// text index reads fastest: each prefix term becomes the words of
// search_words that start with it (migrations/postgres/00008), when there
// are few. The condition finds the same rows; the terms themselves are
// unchanged, and ranking uses them (rankQuery).
func (w *where) lookUp(ctx context.Context, tx pgx.Tx) error {
	if w.textAt == 0 || w.lookups != nil {
		return nil
	}
	lookups, err := lookupTerms(ctx, tx, w.terms)
	if err != nil {
		return err
	}
	w.use(lookups)
	return nil
}

// use makes the text condition of w, if it has one, ask the text index
// for lookups, the terms' forms that lookupTerms returned for its text.
func (w *where) use(lookups []string) {
	if w.textAt == 0 || len(lookups) != len(w.terms) {
		return
	}
	w.lookups = lookups
	w.args[w.textArg-1] = strings.Join(lookups, " & ")
}

// textLookups returns lookupTerms of the terms of text (none without).
func textLookups(ctx context.Context, tx pgx.Tx, text string) ([]string, error) {
	return lookupTerms(ctx, tx, fulltext.Terms(text))
}

// rankQuery is the to_tsquery argument of the text, as the user typed it,
// for ranking.
func (w *where) rankQuery() string { return fulltext.PostgresQuery(w.terms) }

// lookupTerms returns the to_tsquery form of each term: each prefix form
// of it (fulltext.Term.Alternatives) becomes the words that start with
// it, or stays a prefix when it starts more than maxPrefixWords words; a
// whole-word form stays as it is. It asks in one round trip.
func lookupTerms(ctx context.Context, tx pgx.Tx, terms []fulltext.Term) ([]string, error) {
	forms := make([][][]string, len(terms)) // by term, by alternative: lexemes
	b := &pgx.Batch{}
	for i, t := range terms {
		alts := t.Alternatives()
		forms[i] = make([][]string, len(alts))
		for j, a := range alts {
			forms[i][j] = []string{fulltext.PostgresAlt(a)}
			if !a.Prefix {
				continue
			}
			// Every word that starts with a.Text sorts (bytewise) from it
			// to it followed by the highest code point.
			b.Queue(`SELECT DISTINCT word FROM search_words WHERE word >= $1 AND word < $2 ORDER BY word LIMIT $3`,
				a.Text, a.Text+"\U0010FFFF", maxPrefixWords+1).Query(func(rows pgx.Rows) error {
				words, err := pgx.CollectRows(rows, pgx.RowTo[string])
				switch {
				case err != nil || len(words) > maxPrefixWords:
				case len(words) == 0:
					// No row has a word that starts with it: the whole word
					// finds the same (none).
					forms[i][j] = []string{quoteWord(a.Text)}
				default:
					forms[i][j] = make([]string, len(words))
					for k, word := range words {
						forms[i][j][k] = quoteWord(word)
					}
				}
				return err
			})
		}
	}
	if b.Len() > 0 {
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return nil, err
		}
	}
	lookups := make([]string, len(terms))
	for i := range terms {
		var lexemes []string
		for _, f := range forms[i] {
			for _, l := range f {
				if !slices.Contains(lexemes, l) {
					lexemes = append(lexemes, l)
				}
			}
		}
		lookups[i] = fulltext.PostgresAny(lexemes)
	}
	return lookups, nil
}

// quoteWord writes word as a quoted tsquery lexeme.
func quoteWord(word string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(word) + "'"
}
