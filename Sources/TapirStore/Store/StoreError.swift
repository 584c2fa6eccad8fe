/// Problems with a store operation the caller can act on.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No row with that key.
    case notFound(what: String, id: Int64)
    /// The expansion was already reviewed.
    case notPending(instructionID: Int64, state: String)
    /// An edit would make the instruction identical to another stored one.
    case duplicateText(existingID: Int64)
    /// An edit with empty text.
    case emptyText
    /// A stored value that none of the column's known values matches (a newer tapir wrote it?).
    case unknownValue(table: String, column: String, value: String)
    /// A paid model call could not be stored in the ledger; writes stop so that nothing
    /// derived from unrecorded calls is stored and no further call is paid unrecorded.
    case ledgerWriteFailed(role: String, requestHash: String, reason: String)

    public var description: String {
        switch self {
        case let .notFound(what, id): "no \(what) with id \(id) in this workspace"
        case let .notPending(id, state): "expansion \(id) is already \(state); only pending expansions can be reviewed"
        case let .duplicateText(existing): "the edited text duplicates instruction \(existing); reject this expansion instead"
        case .emptyText: "the edited instruction text is empty"
        case let .unknownValue(table, column, value):
            "\(table).\(column) holds '\(value)', which this tapir does not know; update tapir or fix the row"
        case let .ledgerWriteFailed(role, hash, reason):
            "a \(role) call (request \(hash.prefix(12))) could not be recorded in the ledger (\(reason)); "
                + "the engine stopped: check the disk and the workspace database, then run again"
        }
    }
}
