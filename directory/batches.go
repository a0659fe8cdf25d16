package directory

// InBatches runs each step in turn over a table in batches: a step is
// given the last id of the batch before (0 at first) and returns the last
// id of its own batch, 0 when none was left. The engines rebuild their
// text indexes so (see fulltext.IndexVersion).
func InBatches(steps ...func(after int64) (int64, error)) error {
	for _, step := range steps {
		for after := int64(0); ; {
			last, err := step(after)
			if err != nil {
				return err
			}
			if last == 0 {
				break
			}
			after = last
		}
	}
	return nil
}
