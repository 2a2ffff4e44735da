//! `tally lsp` driven as an editor drives it: the real binary, LSP messages with their
//! `Content-Length` headers on its standard input, its answers read back from its standard output.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use serde_json::{Value, json};

/// A folder with a Chinese name, percent-encoded as editors send it (`考核`).
const URI: &str = "file:///work/%E8%80%83%E6%A0%B8/test.policy";

/// The policy as first opened: a misspelt field after Chinese text on its line (`dayz`), and a
/// record kind named by its Chinese label (`迟到`); both have a quick fix.
const WITH_ERRORS: &str = r#"policy "测试办法" year 2020 total 100
annual = sum(months) / 12
round 2 half-up

roster {
  role: 包片委员 | 片长
}

record late "迟到" by person
record leave "请假" by person { days: whole days >= 1, 事由: 病假 | 事假 }

section office "机关工作" 100 {
  item attendance "机关作息" 60 {
    [2.1.1] per late -5
    [2.1.2] per leave where 事由 = 病假 and dayz > 2: -1 cap 10
    [2.1.3] when sum(leave.dayz) in year > 30: zero
  }
  item duty "值班" 40 {
    [2.1.4] per 迟到 -1 for role in {片长}
  }
}

grades {
  优秀 >= 90 "评为优秀"
  合格 "无"
}
"#;

struct Session {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next_id: i64,
}

impl Session {
    fn start() -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tally"))
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("LANG")
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Session {
            child,
            stdin,
            stdout,
            next_id: 0,
        }
    }

    fn send(&mut self, message: &Value) {
        let body = serde_json::to_string(message).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn receive(&mut self) -> Value {
        let mut length = None;
        loop {
            let mut line = String::new();
            assert!(
                self.stdout.read_line(&mut line).unwrap() > 0,
                "the server hung up"
            );
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = Some(n.parse::<usize>().unwrap());
            }
        }
        let mut body = vec![0; length.expect("a Content-Length header")];
        self.stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its whole response (result or error).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let response = self.receive();
        assert_eq!(response["id"], json!(id), "{response}");
        response
    }

    fn result(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params);
        assert!(response.get("error").is_none(), "{response}");
        response["result"].clone()
    }

    /// The diagnostics published after a notification.
    fn diagnostics(&mut self) -> Value {
        let message = self.receive();
        assert_eq!(message["method"], "textDocument/publishDiagnostics");
        assert_eq!(message["params"]["uri"], URI);
        message["params"].clone()
    }
}

/// The position of the `n`th (0-based) occurrence of `what` in `text`, in UTF-16 units, plus
/// `after` units.
fn at(text: &str, what: &str, n: usize, after: u32) -> Value {
    let offset = text.match_indices(what).nth(n).unwrap().0;
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character = before[line_start..].encode_utf16().count() as u32 + after;
    json!({"line": line, "character": character})
}

fn doc() -> Value {
    json!({"uri": URI})
}

fn position(text: &str, what: &str, n: usize, after: u32) -> Value {
    json!({"textDocument": doc(), "position": at(text, what, n, after)})
}

#[test]
fn a_session_in_an_editor() {
    let mut s = Session::start();
    let init = s.result(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    insta::assert_json_snapshot!("initialize", init);
    s.notify("initialized", json!({}));

    // Opening: the errors, where they are (columns in UTF-16 units after Chinese text).
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "tally-policy", "version": 1, "text": WITH_ERRORS}}),
    );
    let published = s.diagnostics();
    insta::assert_json_snapshot!("diagnostics_on_open", published);
    let dayz = &published["diagnostics"][0];
    assert_eq!(dayz["range"]["start"], at(WITH_ERRORS, "dayz", 0, 0));

    // The quick fixes of both did-you-means.
    let fixes = s.result(
        "textDocument/codeAction",
        json!({"textDocument": doc(), "range": dayz["range"], "context": {"diagnostics": []}}),
    );
    insta::assert_json_snapshot!("code_action_field", fixes);
    let label = &published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "tally::unknown-record")
        .unwrap()["range"];
    let fixes = s.result(
        "textDocument/codeAction",
        json!({"textDocument": doc(), "range": label, "context": {"diagnostics": []}}),
    );
    assert_eq!(
        fixes[0]["edit"]["changes"][URI][0]["newText"], "late",
        "{fixes}"
    );

    // A policy with errors has no bounds: the item's hover says what it is, not what it scores.
    let unchecked = s.result(
        "textDocument/hover",
        position(WITH_ERRORS, "duty \"值班\"", 0, 1),
    );
    let said = unchecked["contents"]["value"].as_str().unwrap();
    assert!(said.starts_with("**item** `duty`"), "{said}");
    assert!(!said.contains("scores"), "{said}");

    // The fixes applied, saved with Windows line ends, one rule not in the canonical layout.
    let fixed = WITH_ERRORS
        .replace("dayz", "days")
        .replace("per 迟到", "per late")
        .replace("per late -5", "per   late    -5")
        .replace('\n', "\r\n");
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    let published = s.diagnostics();
    assert_eq!(published["version"], 2);
    assert_eq!(published["diagnostics"], json!([]), "{published}");

    let hover_kind = s.result("textDocument/hover", position(&fixed, "per   late", 0, 6));
    insta::assert_json_snapshot!("hover_record_kind", hover_kind);
    let hover_rule = s.result("textDocument/hover", position(&fixed, "[2.1.2]", 0, 2));
    insta::assert_json_snapshot!("hover_rule", hover_rule);
    // An item and the rules in it: what the item can score in a month and in the year.
    let hover_item = s.result(
        "textDocument/hover",
        position(&fixed, "duty \"值班\"", 0, 1),
    );
    insta::assert_json_snapshot!("hover_item", hover_item);
    let hover_grade = s.result("textDocument/hover", position(&fixed, "优秀 >=", 0, 1));
    insta::assert_json_snapshot!("hover_grade", hover_grade);
    // An item of one rule, and a section of two items.
    let hover_item = s.result("textDocument/hover", position(&fixed, "item duty", 0, 5));
    insta::assert_json_snapshot!("hover_item", hover_item);
    let hover_section = s.result(
        "textDocument/hover",
        position(&fixed, "section office", 0, 8),
    );
    insta::assert_json_snapshot!("hover_section", hover_section);

    // From the use of `late` to its declaration; every use of the field `days`.
    let definition = s.result(
        "textDocument/definition",
        position(&fixed, "per late -1", 0, 5),
    );
    assert_eq!(
        definition["range"]["start"],
        at(&fixed, "late \"迟到\"", 0, 0)
    );
    insta::assert_json_snapshot!("definition", definition);
    let mut references = position(&fixed, "days:", 0, 1);
    references["context"] = json!({"includeDeclaration": true});
    let references = s.result("textDocument/references", references);
    insta::assert_json_snapshot!("references", references);
    let definition_of_grade = s.result("textDocument/definition", position(&fixed, "合格", 0, 0));
    assert_eq!(
        definition_of_grade["range"]["start"],
        at(&fixed, "合格", 0, 0)
    );

    let symbols = s.result(
        "textDocument/documentSymbol",
        json!({"textDocument": doc()}),
    );
    insta::assert_json_snapshot!("document_symbols", symbols);

    // After `leave.`: the kind's fields and the values of its enumeration.
    let completion = s.result(
        "textDocument/completion",
        position(&fixed, "leave.days", 0, 6),
    );
    insta::assert_json_snapshot!("completion_after_dot", completion);
    // Elsewhere: keywords, record kinds, roster columns and their values.
    let completion = s.result("textDocument/completion", position(&fixed, "zero", 0, 0));
    let labels: Vec<&str> = completion
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["label"].as_str().unwrap())
        .collect();
    for wanted in ["per", "when", "late", "leave", "role", "片长"] {
        assert!(labels.contains(&wanted), "{wanted} missing from {labels:?}");
    }

    let formatting = s.result(
        "textDocument/formatting",
        json!({"textDocument": doc(), "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let edits = formatting.as_array().unwrap();
    assert_eq!(edits.len(), 1, "{formatting}");
    let formatted = edits[0]["newText"].as_str().unwrap();
    assert_eq!(
        formatted,
        WITH_ERRORS
            .replace("dayz", "days")
            .replace("per 迟到", "per late")
    );

    // What an editor should never send is answered, not a crash.
    let far = s.result(
        "textDocument/hover",
        json!({"textDocument": doc(), "position": {"line": 9999, "character": 0}}),
    );
    assert_eq!(far, Value::Null);
    let past_line_end = s.result(
        "textDocument/hover",
        json!({"textDocument": doc(), "position": {"line": 0, "character": 4_000_000_000u32}}),
    );
    assert_eq!(past_line_end, Value::Null);
    let unknown = s.result(
        "textDocument/definition",
        json!({"textDocument": {"uri": "file:///nowhere.policy"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(unknown, Value::Null);
    let malformed = s.request("textDocument/hover", json!({"textDocument": 5}));
    assert_eq!(malformed["error"]["code"], -32602, "{malformed}");
    let unsupported = s.request("textDocument/rename", json!({}));
    assert_eq!(unsupported["error"]["code"], -32601, "{unsupported}");
    s.notify("textDocument/didChange", json!({"nonsense": true}));

    // A text that does not parse: its syntax error, and still an answer to completion.
    let broken = fixed.replace("zero", "zero +");
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 3}, "contentChanges": [{"text": broken}]}),
    );
    let published = s.diagnostics();
    assert_eq!(
        published["diagnostics"][0]["code"], "tally::syntax",
        "{published}"
    );
    let completion = s.result(
        "textDocument/completion",
        position(&broken, "leave.days", 0, 6),
    );
    assert_eq!(
        completion,
        s.result(
            "textDocument/completion",
            position(&fixed, "leave.days", 0, 6)
        )
    );

    assert_eq!(s.result("shutdown", Value::Null), Value::Null);
    s.notify("exit", Value::Null);
    drop(s.stdin);
    assert!(s.child.wait().unwrap().success());
}

#[test]
fn scenarios_get_their_diagnostics() {
    let mut s = Session::start();
    s.result(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    s.notify("initialized", json!({}));
    let uri = "file:///work/test.tests/%E8%BF%9F%E5%88%B0.scenario";
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "tally-scenario", "version": 1,
            "text": "scenario \"迟到三次\"\nexpekt\n  D01 2020-03 total 985\n"}}),
    );
    let message = s.receive();
    insta::assert_json_snapshot!("scenario_diagnostics", message["params"]);
    let range = message["params"]["diagnostics"][0]["range"].clone();
    let fixes = s.result(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range, "context": {"diagnostics": []}}),
    );
    assert_eq!(
        fixes[0]["edit"]["changes"][uri][0]["newText"], "expect",
        "{fixes}"
    );
    assert_eq!(s.result("shutdown", Value::Null), Value::Null);
    s.notify("exit", Value::Null);
    assert!(s.child.wait().unwrap().success());
}

/// A `once` group: hovering its name on a rule says what it does, and going to its definition
/// finds the declaration; a misspelt group has a quick fix.
#[test]
fn once_groups_in_an_editor() {
    let text = r#"policy "测试办法" year 2020 total 100
annual = sum(months) / 12

record drunk_driving "醉驾" by person { case: text }
record sanction "处分" by person { case: text, points: points 1..40 }

once incident "同一行为，就高扣分" per case

section office "机关工作" 100 {
  item conduct "纪律" 100 {
    [1.1] per drunk_driving -30 once incident
    [1.2] per sanction -points once incidnt
  }
}

grades {
  合格 >= 60
  不合格
}
"#;
    let mut s = Session::start();
    s.result(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    s.notify("initialized", json!({}));
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "tally-policy", "version": 1, "text": text}}),
    );
    let published = s.diagnostics();
    let unknown = &published["diagnostics"][0];
    assert_eq!(unknown["code"], "tally::unknown-once", "{published}");
    let fixes = s.result(
        "textDocument/codeAction",
        json!({"textDocument": doc(), "range": unknown["range"], "context": {"diagnostics": []}}),
    );
    assert_eq!(
        fixes[0]["edit"]["changes"][URI][0]["newText"], "incident",
        "{fixes}"
    );
    let hover = s.result("textDocument/hover", position(text, "once incident", 1, 6));
    insta::assert_json_snapshot!("hover_once_group", hover);
    let definition = s.result(
        "textDocument/definition",
        position(text, "once incident", 1, 6),
    );
    assert_eq!(
        definition["range"]["start"],
        at(text, "incident \"", 0, 0),
        "{definition}"
    );
    s.notify("exit", Value::Null);
    drop(s.stdin);
    assert!(s.child.wait().unwrap().success());
}

#[test]
fn a_rule_with_validity_says_how_long_its_entries_count() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/validity/credit.policy"),
    )
    .unwrap();
    let mut s = Session::start();
    s.result(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    s.notify("initialized", json!({}));
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "tally-policy", "version": 1, "text": text}}),
    );
    let published = s.diagnostics();
    assert_eq!(published["diagnostics"], json!([]), "{published}");
    let hover = s.result("textDocument/hover", position(&text, "[20.2]", 0, 2));
    insta::assert_json_snapshot!("hover_rule_with_validity", hover);
    // The field a table of durations is keyed by is the record's field.
    let hover = s.result("textDocument/hover", position(&text, "valid level", 0, 8));
    insta::assert_json_snapshot!("hover_validity_field", hover);
    assert_eq!(s.result("shutdown", Value::Null), Value::Null);
    s.notify("exit", Value::Null);
    drop(s.stdin);
    assert!(s.child.wait().unwrap().success());
}

/// A yearly card's carry (§31): hovering the rule says its records of earlier years are carried.
#[test]
fn a_rule_that_carries_says_so() {
    // The rule in an item, whose hover tells its modifiers.
    let rule = "[0.2.3.2] per building -50 valid until corrected";
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/carry/carry.policy"),
    )
    .unwrap()
    .replace(&format!("  {rule}\n"), "")
    .replace("[23] base 1000\n", &format!("[23] base 1000\n    {rule}\n"));
    assert!(text.contains(&format!("    {rule}\n  }}")), "{text}");
    let mut s = Session::start();
    s.result(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    s.notify("initialized", json!({}));
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "tally-policy", "version": 1, "text": text}}),
    );
    let published = s.diagnostics();
    assert_eq!(published["diagnostics"], json!([]), "{published}");
    let hover = s.result("textDocument/hover", position(&text, "[0.2.3.2]", 0, 2));
    insta::assert_json_snapshot!("hover_rule_that_carries", hover);
    assert_eq!(s.result("shutdown", Value::Null), Value::Null);
    s.notify("exit", Value::Null);
    drop(s.stdin);
    assert!(s.child.wait().unwrap().success());
}

/// An editor that asks for Chinese (`locale` in `initialize`) gets the diagnostics in Chinese,
/// with the same codes.
#[test]
fn a_chinese_editor_gets_chinese_diagnostics() {
    let mut s = Session::start();
    s.result(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}, "locale": "zh-CN"}),
    );
    s.notify("initialized", json!({}));
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "tally-policy", "version": 1, "text": WITH_ERRORS}}),
    );
    let published = s.diagnostics();
    let first = &published["diagnostics"][0];
    let message = first["message"].as_str().unwrap_or_default();
    assert!(
        message
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{published}"
    );
    let codes: Vec<&Value> = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["code"])
        .collect();
    insta::assert_json_snapshot!("chinese_editor_diagnostic_codes", codes);
    // The help appended to a message, a quick fix's title and the replies to bad requests too.
    let dayz = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["message"].as_str().unwrap_or_default().contains("dayz"))
        .unwrap();
    assert!(
        dayz["message"]
            .as_str()
            .unwrap()
            .contains("\n提示：是不是要写 `days`？"),
        "{dayz}"
    );
    let fixes = s.result(
        "textDocument/codeAction",
        json!({"textDocument": doc(), "range": dayz["range"], "context": {"diagnostics": []}}),
    );
    assert_eq!(fixes[0]["title"], "把 `dayz` 改成 `days`", "{fixes}");
    let malformed = s.request("textDocument/hover", json!({"textDocument": 5}));
    let said = malformed["error"]["message"].as_str().unwrap_or_default();
    assert!(
        said.starts_with("读不了 `textDocument/hover` 的参数："),
        "{malformed}"
    );
    let unsupported = s.request("textDocument/rename", json!({}));
    assert_eq!(
        unsupported["error"]["message"], "不支持 `textDocument/rename`",
        "{unsupported}"
    );
    assert_eq!(s.result("shutdown", Value::Null), Value::Null);
}

/// An editor that asks for Chinese gets the hovers in Chinese too: a record kind, a rule, an item
/// with what it can score, a section and a grade.
#[test]
fn a_chinese_editor_gets_chinese_hovers() {
    let mut s = Session::start();
    s.result(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}, "locale": "zh-CN"}),
    );
    s.notify("initialized", json!({}));
    let fixed = WITH_ERRORS
        .replace("dayz", "days")
        .replace("per 迟到", "per late");
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "tally-policy", "version": 1, "text": fixed}}),
    );
    let published = s.diagnostics();
    assert_eq!(published["diagnostics"], json!([]), "{published}");
    let mut said = String::new();
    for (what, after) in [
        ("per late", 6),
        ("[2.1.2]", 2),
        ("duty \"值班\"", 1),
        ("section office", 8),
        ("优秀 >=", 1),
    ] {
        let hover = s.result("textDocument/hover", position(&fixed, what, 0, after));
        let text = hover["contents"]["value"].as_str().unwrap_or_default();
        said.push_str(&format!("{what}\n{text}\n\n"));
    }
    for word in [
        "**记录类型**",
        "**条款**",
        "**项目**",
        "**部分**",
        "**等次**",
    ] {
        assert!(said.contains(word), "{word}:\n{said}");
    }
    // Completion's details: record kinds, roster columns and their values.
    let completion = s.result("textDocument/completion", position(&fixed, "zero", 0, 0));
    for item in completion.as_array().unwrap() {
        if let (Some(label), Some(detail)) = (item["label"].as_str(), item["detail"].as_str()) {
            if ["late", "role", "片长"].contains(&label) {
                said.push_str(&format!("completion {label}: {detail}\n"));
            }
        }
    }
    assert!(said.contains("completion late: 记录类型“迟到”"), "{said}");
    insta::assert_snapshot!(said);
    assert_eq!(s.result("shutdown", Value::Null), Value::Null);
}

/// On quarterly cards an item's hover gives its range in a quarter and in the year, and
/// completion offers `quarters` for the annual formula.
#[test]
fn hover_on_a_quarterly_card() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/quarterly/card.policy"),
    )
    .unwrap();
    let mut s = Session::start();
    s.result(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    s.notify("initialized", json!({}));
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "tally-policy", "version": 1, "text": text}}),
    );
    let published = s.diagnostics();
    assert_eq!(published["diagnostics"], json!([]), "{published}");
    let hover = s.result(
        "textDocument/hover",
        position(&text, "attendance \"考勤\"", 0, 1),
    );
    let said = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        said.ends_with(
            "the item scores 0 to 40 in a quarter, 0 to 160 in the year (the four quarters added up)"
        ),
        "{said}"
    );
    let completion = s.result("textDocument/completion", position(&text, "mean(", 0, 5));
    assert!(
        completion
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["label"] == "quarters"),
        "{completion}"
    );
    assert_eq!(s.result("shutdown", Value::Null), Value::Null);
}
