import CNcursesw
import Foundation
import Testing
import TerminalUI
@testable import CursesBackend
#if canImport(Glibc)
import Glibc
#endif

/// Runs real ncurses against a file (output) and a pipe (input) with TERM=xterm-256color.
/// Serialized: ncurses keeps process-wide state.
@Suite(.serialized) struct CursesTerminalTests {
    final class Harness {
        let outPath: String
        let out: UnsafeMutablePointer<FILE>
        let inReadFD: Int32
        let inWriteFD: Int32
        let input: UnsafeMutablePointer<FILE>
        let terminal: CursesTerminal

        init(depth: ColorDepth? = nil, environment: [String: String] = [:], mouse: Bool = false) throws {
            outPath = NSTemporaryDirectory() + "curses-\(UUID().uuidString).out"
            out = fopen(outPath, "w+")!
            var fds: [Int32] = [0, 0]
            #expect(pipe(&fds) == 0)
            inReadFD = fds[0]
            inWriteFD = fds[1]
            input = fdopen(inReadFD, "r")!
            terminal = try CursesTerminal(
                options: .init(colorDepth: depth, mouse: mouse, environment: environment), output: out, input: input,
                inputFD: inReadFD, outputFD: fileno(out), term: "xterm-256color", installSignals: false)
        }

        func type(_ bytes: String) {
            let data = Array(bytes.utf8)
            _ = data.withUnsafeBufferPointer { write(inWriteFD, $0.baseAddress, $0.count) }
        }

        /// Output written since the last call.
        func output() -> String {
            fflush(out)
            let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
            ftruncate(fileno(out), 0)
            rewind(out)
            return text
        }

        deinit {
            terminal.close()
            fclose(out)
            fclose(input)
            close(inWriteFD)
            unlink(outPath)
        }
    }

    @Test func presentsTextColoursAndOnlyChangedCells() throws {
        let h = try Harness()
        #expect(h.terminal.colorDepth == .ansi256)
        #expect(h.terminal.width == 80 && h.terminal.height == 24)
        var buffer = CellBuffer(width: 80, height: 24)
        buffer.write("hello 字 world", x: 2, y: 3, style: Style(foreground: .indexed(200), background: .indexed(17), attributes: .bold))
        h.terminal.present(buffer)
        let first = h.output()
        #expect(first.contains("hello 字 world"))
        #expect(first.contains("38;5;200"))
        #expect(first.contains("48;5;17"))
        buffer.write("X", x: 10, y: 10, style: .plain)
        h.terminal.present(buffer)
        let second = h.output()
        #expect(second.contains("X"))
        #expect(!second.contains("hello"))
        #expect(second.utf8.count < 40)
        h.terminal.present(buffer)
        #expect(!h.output().contains("X"))
    }

    @Test func noColorEnvironmentDrawsWithoutColourSequences() throws {
        let h = try Harness(environment: ["NO_COLOR": "1"])
        #expect(h.terminal.colorDepth == .none)
        var buffer = CellBuffer(width: 80, height: 24)
        buffer.write("plain", x: 0, y: 0, style: Style(foreground: .indexed(200), background: .indexed(17)).adapted(to: .none).with(.reverse))
        h.terminal.present(buffer)
        let out = h.output()
        #expect(out.contains("plain"))
        #expect(!out.contains("38;5;") && !out.contains("48;5;"))
        #expect(out.range(of: "\\[[34][0-7](;[0-9]+)*m", options: .regularExpression) == nil)
        #expect(out.contains("7mplain"))  // reverse video carries the selection without colour
    }

    @Test func decodesKeysFromTerminalInput() throws {
        let h = try Harness()
        h.type("j\u{1B}OA\u{04}\r字\u{7F}")
        var events: [InputEvent] = []
        while events.count < 6 {
            let e = h.terminal.nextEvent(timeoutMilliseconds: 500)
            if e == .tick { break }
            events.append(e)
        }
        #expect(events == [.key(.char("j")), .key(.up), .key(.ctrl("d")), .key(.enter), .key(.char("字")), .key(.backspace)])
    }

    @Test func decodesSGRMouseWheelWhenEnabled() throws {
        let h = try Harness(mouse: true)
        // SGR (1006) reports, 1-based: wheel up and wheel down at column 3, row 4.
        h.type("\u{1B}[<64;3;4M\u{1B}[<65;3;4M")
        var events: [InputEvent] = []
        while events.count < 2 {
            let e = h.terminal.nextEvent(timeoutMilliseconds: 500)
            if e == .tick { break }
            events.append(e)
        }
        #expect(events == [.mouse(MouseEvent(kind: .wheelUp, x: 2, y: 3)), .mouse(MouseEvent(kind: .wheelDown, x: 2, y: 3))])
    }

    @Test func decodesSGRMouseClickWhenEnabled() throws {
        let h = try Harness(mouse: true)
        // A left-button press and its release at column 5, row 6 (1-based), as tmux sends them.
        h.type("\u{1B}[<0;5;6M\u{1B}[<0;5;6m")
        var events: [InputEvent] = []
        while events.count < 2 {
            let e = h.terminal.nextEvent(timeoutMilliseconds: 500)
            if e == .tick { break }
            events.append(e)
        }
        #expect(events.first == .mouse(MouseEvent(kind: .press(button: 1), x: 4, y: 5)))
    }

    @Test func wakerFromAnotherThreadWakesTheLoop() async throws {
        let h = try Harness()
        let waker = h.terminal.waker
        let thread = Thread { waker.wake() }
        thread.start()
        #expect(h.terminal.nextEvent(timeoutMilliseconds: 2000) == .wake)
        // Wakes posted before the loop looks collapse into one event.
        waker.wake()
        waker.wake()
        #expect(h.terminal.nextEvent(timeoutMilliseconds: 50) == .wake)
        #expect(h.terminal.nextEvent(timeoutMilliseconds: 50) == .tick)
    }

    @Test func runLoopStopsWhenHandlerSaysSo() throws {
        let h = try Harness()
        h.type("ab")
        var seen: [InputEvent] = []
        var frames = 0
        h.terminal.run(tickMilliseconds: 500, handle: { event in
            seen.append(event)
            return event != .key(.char("b"))
        }, render: { w, hgt in
            frames += 1
            var b = CellBuffer(width: w, height: hgt)
            b.write("frame \(frames)", x: 0, y: 0, style: .plain)
            return b
        })
        #expect(seen == [.key(.char("a")), .key(.char("b"))])
        #expect(frames == 2)
        // The second frame differs in one cell, and only that cell is sent.
        let out = h.output()
        #expect(out.contains("frame 1"))
        #expect(!out.contains("frame 2"))
        #expect(out.hasSuffix("[1;7H2"))
    }
}
