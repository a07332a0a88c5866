extension String {
    /// nil for an empty string: optional columns and CSV cells store "nothing" as NULL.
    package var nilIfEmpty: String? { isEmpty ? nil : self }
}
