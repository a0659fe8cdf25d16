package directory

// StoreOf is the Store under s, for the external tests that read what the
// Service wrote.
func StoreOf(s *Service) Store { return s.store }
