// Package murmurationstest helps tests of Murmurations: it validates
// profiles against the published schemas (kept resolved under
// testdata/schemas, see its README) and runs a small Murmurations index.
package murmurationstest

import (
	"bytes"
	"embed"
	"fmt"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed testdata/schemas/*.json
var schemaFiles embed.FS

var (
	compileOnce sync.Once
	compiled    map[string]*jsonschema.Schema
	compileErr  error
)

// Schemas lists the names of the schemas Validate knows.
func Schemas() []string {
	entries, _ := schemaFiles.ReadDir("testdata/schemas")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".json"))
	}
	return names
}

func compile() {
	compiled = map[string]*jsonschema.Schema{}
	c := jsonschema.NewCompiler()
	// The schemas name draft-07 by an https address, which the validator
	// does not know as a draft's: read them as draft-07 explicitly.
	c.DefaultDraft(jsonschema.Draft7)
	for _, name := range Schemas() {
		data, err := schemaFiles.ReadFile("testdata/schemas/" + name + ".json")
		if err != nil {
			compileErr = err
			return
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			compileErr = fmt.Errorf("schema %s: %w", name, err)
			return
		}
		if m, ok := doc.(map[string]any); ok {
			delete(m, "$schema")
		}
		loc := "mem:///" + name + ".json"
		if err := c.AddResource(loc, doc); err != nil {
			compileErr = fmt.Errorf("schema %s: %w", name, err)
			return
		}
		if compiled[name], err = c.Compile(loc); err != nil {
			compileErr = fmt.Errorf("schema %s: %w", name, err)
			return
		}
	}
}

// Validate checks a profile (JSON) against one schema, by its name as in
// linked_schemas.
func Validate(schema string, profile []byte) error {
	compileOnce.Do(compile)
	if compileErr != nil {
		return compileErr
	}
	sch, ok := compiled[schema]
	if !ok {
		return fmt.Errorf("unknown schema %q", schema)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(profile))
	if err != nil {
		return fmt.Errorf("profile is not JSON: %w", err)
	}
	return sch.Validate(doc)
}

// ValidateLinked checks a profile against every schema it names in
// linked_schemas, as an index does; a profile without any is invalid.
func ValidateLinked(profile []byte) error {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(profile))
	if err != nil {
		return fmt.Errorf("profile is not JSON: %w", err)
	}
	m, _ := doc.(map[string]any)
	linked, _ := m["linked_schemas"].([]any)
	if len(linked) == 0 {
		return fmt.Errorf("profile has no linked_schemas")
	}
	for _, l := range linked {
		name, _ := l.(string)
		if err := Validate(name, profile); err != nil {
			return err
		}
	}
	return nil
}
