package federation

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// A strict reader and writer of the Structured Field dictionaries (RFC 8941)
// that RFC 9421 signatures and RFC 9530 digests are written in. It differs
// from the RFC on purpose in one way: a key given twice in a dictionary or in
// parameters is an error rather than "the last one wins", so that no two
// readers of one header can see two different values. Decimals, dates and
// display strings are refused: no field we read uses them.

// sfToken is a Token bare item; a String is a plain string.
type sfToken string

// sfParam is one parameter. Its value is an int64, string, sfToken, []byte
// or bool.
type sfParam struct {
	key   string
	value any
}

// sfItem is a bare item with its parameters.
type sfItem struct {
	value  any
	params []sfParam
}

// sfMember is one dictionary member: an item (value and params), or an
// inner list (list and the list's params).
type sfMember struct {
	key    string
	isList bool
	value  any
	list   []sfItem
	params []sfParam
}

// sfParser reads one field value.
type sfParser struct {
	s   string
	off int
}

func (p *sfParser) eof() bool  { return p.off >= len(p.s) }
func (p *sfParser) peek() byte { return p.s[p.off] }

func (p *sfParser) errorf(format string, args ...any) error {
	return fmt.Errorf("structured field, at byte %d: %s", p.off, fmt.Sprintf(format, args...))
}

func (p *sfParser) skipSP() {
	for !p.eof() && p.peek() == ' ' {
		p.off++
	}
}

func (p *sfParser) skipOWS() {
	for !p.eof() && (p.peek() == ' ' || p.peek() == '\t') {
		p.off++
	}
}

// parseSFDictionary reads a dictionary. Several header lines are given
// joined with ", ", as RFC 8941 combines them.
func parseSFDictionary(s string) ([]sfMember, error) {
	p := &sfParser{s: s}
	p.skipSP()
	var members []sfMember
	seen := map[string]bool{}
	for !p.eof() {
		m, err := p.member()
		if err != nil {
			return nil, err
		}
		if seen[m.key] {
			return nil, p.errorf("key %q appears twice", m.key)
		}
		seen[m.key] = true
		members = append(members, m)
		p.skipOWS()
		if p.eof() {
			break
		}
		if p.peek() != ',' {
			return nil, p.errorf("expected a comma")
		}
		p.off++
		p.skipOWS()
		if p.eof() {
			return nil, p.errorf("trailing comma")
		}
	}
	if len(members) == 0 {
		return nil, errors.New("structured field: empty dictionary")
	}
	return members, nil
}

func (p *sfParser) member() (sfMember, error) {
	key, err := p.key()
	if err != nil {
		return sfMember{}, err
	}
	m := sfMember{key: key, value: true}
	if p.eof() || p.peek() != '=' {
		m.params, err = p.parameters()
		return m, err
	}
	p.off++
	if !p.eof() && p.peek() == '(' {
		m.isList, m.value = true, nil
		m.list, m.params, err = p.innerList()
		return m, err
	}
	it, err := p.item()
	m.value, m.params = it.value, it.params
	return m, err
}

func (p *sfParser) innerList() ([]sfItem, []sfParam, error) {
	p.off++ // (
	list := []sfItem{}
	for {
		p.skipSP()
		if p.eof() {
			return nil, nil, p.errorf("unterminated inner list")
		}
		if p.peek() == ')' {
			p.off++
			params, err := p.parameters()
			return list, params, err
		}
		it, err := p.item()
		if err != nil {
			return nil, nil, err
		}
		list = append(list, it)
		if p.eof() || (p.peek() != ' ' && p.peek() != ')') {
			return nil, nil, p.errorf("expected a space or ) in an inner list")
		}
	}
}

func (p *sfParser) item() (sfItem, error) {
	v, err := p.bareItem()
	if err != nil {
		return sfItem{}, err
	}
	params, err := p.parameters()
	return sfItem{value: v, params: params}, err
}

func (p *sfParser) parameters() ([]sfParam, error) {
	var params []sfParam
	for !p.eof() && p.peek() == ';' {
		p.off++
		p.skipSP()
		key, err := p.key()
		if err != nil {
			return nil, err
		}
		for _, q := range params {
			if q.key == key {
				return nil, p.errorf("parameter %q appears twice", key)
			}
		}
		var v any = true
		if !p.eof() && p.peek() == '=' {
			p.off++
			if v, err = p.bareItem(); err != nil {
				return nil, err
			}
		}
		params = append(params, sfParam{key, v})
	}
	return params, nil
}

func isLCAlpha(c byte) bool { return c >= 'a' && c <= 'z' }

func (p *sfParser) key() (string, error) {
	start := p.off
	if p.eof() || !(isLCAlpha(p.peek()) || p.peek() == '*') {
		return "", p.errorf("expected a key")
	}
	for !p.eof() {
		c := p.peek()
		if !isLCAlpha(c) && !isDigit(c) && strings.IndexByte("_-.*", c) < 0 {
			break
		}
		p.off++
	}
	return p.s[start:p.off], nil
}

func (p *sfParser) bareItem() (any, error) {
	if p.eof() {
		return nil, p.errorf("expected a value")
	}
	switch c := p.peek(); {
	case c == '-' || isDigit(c):
		return p.integer()
	case c == '"':
		return p.str()
	case c == ':':
		return p.bytes()
	case c == '?':
		return p.boolean()
	case isAlpha(c) || c == '*':
		return p.token(), nil
	}
	return nil, p.errorf("unsupported value")
}

func (p *sfParser) integer() (int64, error) {
	start := p.off
	if p.peek() == '-' {
		p.off++
	}
	digits := p.off
	for !p.eof() && isDigit(p.peek()) {
		p.off++
	}
	switch n := p.off - digits; {
	case n == 0:
		return 0, p.errorf("expected a digit")
	case n > 15:
		return 0, p.errorf("integer has more than 15 digits")
	case !p.eof() && p.peek() == '.':
		return 0, p.errorf("decimals are not accepted")
	}
	return strconv.ParseInt(p.s[start:p.off], 10, 64)
}

func (p *sfParser) str() (string, error) {
	p.off++ // "
	var b strings.Builder
	for !p.eof() {
		c := p.peek()
		p.off++
		switch {
		case c == '"':
			return b.String(), nil
		case c == '\\':
			if p.eof() || (p.peek() != '"' && p.peek() != '\\') {
				return "", p.errorf("bad escape in a string")
			}
			b.WriteByte(p.peek())
			p.off++
		case c < 0x20 || c > 0x7e:
			return "", p.errorf("character %#x in a string", c)
		default:
			b.WriteByte(c)
		}
	}
	return "", p.errorf("unterminated string")
}

func (p *sfParser) token() sfToken {
	start := p.off
	for !p.eof() && (isTchar(p.peek()) || p.peek() == ':' || p.peek() == '/') {
		p.off++
	}
	return sfToken(p.s[start:p.off])
}

func (p *sfParser) bytes() ([]byte, error) {
	p.off++ // :
	end := strings.IndexByte(p.s[p.off:], ':')
	if end < 0 {
		return nil, p.errorf("unterminated byte sequence")
	}
	enc := p.s[p.off : p.off+end]
	b, err := base64.StdEncoding.Strict().DecodeString(enc)
	if err != nil || strings.ContainsAny(enc, "\r\n") {
		return nil, p.errorf("byte sequence is not base64")
	}
	p.off += end + 1
	return b, nil
}

func (p *sfParser) boolean() (bool, error) {
	p.off++ // ?
	if p.eof() || (p.peek() != '0' && p.peek() != '1') {
		return false, p.errorf("expected ?0 or ?1")
	}
	p.off++
	return p.s[p.off-1] == '1', nil
}

// serializeSFDictionary writes members back in the RFC's canonical form.
func serializeSFDictionary(members []sfMember) string {
	var b strings.Builder
	for i, m := range members {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(m.key)
		switch {
		case m.isList:
			b.WriteByte('=')
			writeSFInnerList(&b, m.list, m.params)
		case m.value == true:
			writeSFParams(&b, m.params)
		default:
			b.WriteByte('=')
			writeSFBare(&b, m.value)
			writeSFParams(&b, m.params)
		}
	}
	return b.String()
}

func writeSFInnerList(b *strings.Builder, list []sfItem, params []sfParam) {
	b.WriteByte('(')
	for i, it := range list {
		if i > 0 {
			b.WriteByte(' ')
		}
		writeSFBare(b, it.value)
		writeSFParams(b, it.params)
	}
	b.WriteByte(')')
	writeSFParams(b, params)
}

func writeSFParams(b *strings.Builder, params []sfParam) {
	for _, p := range params {
		b.WriteByte(';')
		b.WriteString(p.key)
		if p.value != true {
			b.WriteByte('=')
			writeSFBare(b, p.value)
		}
	}
}

func writeSFBare(b *strings.Builder, v any) {
	switch v := v.(type) {
	case int64:
		b.WriteString(strconv.FormatInt(v, 10))
	case string:
		b.WriteString(sfQuote(v))
	case sfToken:
		b.WriteString(string(v))
	case []byte:
		b.WriteString(":" + base64.StdEncoding.EncodeToString(v) + ":")
	case bool:
		if v {
			b.WriteString("?1")
		} else {
			b.WriteString("?0")
		}
	}
}

// sfQuote writes s as a String: quoted, with " and \ escaped. s must be
// printable ASCII.
func sfQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}
