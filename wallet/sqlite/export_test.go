package sqlite

// For the external tests: the first schema, to build an old ledger, and the
// version a current one has.
var (
	SchemaV1      = migrations[0]
	SchemaVersion = len(migrations)
)
