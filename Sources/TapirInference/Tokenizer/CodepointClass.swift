/// The Unicode classes the pre-tokenizers test for one code point (`\p{L}`, `\p{N}`, `\p{P}`, `\s`).
struct CodepointClass: OptionSet, Sendable {
    let rawValue: UInt8

    static let letter = CodepointClass(rawValue: 1)
    static let number = CodepointClass(rawValue: 2)
    static let whitespace = CodepointClass(rawValue: 4)
    static let punctuation = CodepointClass(rawValue: 8)
    static let mark = CodepointClass(rawValue: 16)
    static let symbol = CodepointClass(rawValue: 32)

    /// The class of `value`; `[]` for values that are not Unicode scalars.
    @inline(__always)
    static func of(_ value: UInt32) -> CodepointClass {
        if value < CodepointClassTable.count {
            return CodepointClass(rawValue: codepointClassTable[Int(value)])
        }
        return compute(value)
    }

    /// Classifies from the general category; whitespace is the Unicode `White_Space` set.
    static func compute(_ value: UInt32) -> CodepointClass {
        guard let scalar = Unicode.Scalar(value) else { return [] }
        var result: CodepointClass = []
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            result.insert(.letter)
        case .decimalNumber, .letterNumber, .otherNumber:
            result.insert(.number)
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            result.insert(.punctuation)
        case .nonspacingMark, .spacingMark, .enclosingMark:
            result.insert(.mark)
        case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            result.insert(.symbol)
        default:
            break
        }
        if isWhitespace(value) { result.insert(.whitespace) }
        return result
    }

    /// Unicode `White_Space` (the set `\s` matches in the reference tokenizers).
    static func isWhitespace(_ value: UInt32) -> Bool {
        switch value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }
}

enum CodepointClassTable {
    /// Code points below this are looked up in a table built once; the rest are classified on demand.
    static let count: UInt32 = 0x30000
}

/// Classes of the first `CodepointClassTable.count` code points, built on first use.
let codepointClassTable: [UInt8] = {
    var table = [UInt8](repeating: 0, count: Int(CodepointClassTable.count))
    for value in 0..<CodepointClassTable.count {
        table[Int(value)] = CodepointClass.compute(value).rawValue
    }
    return table
}()
