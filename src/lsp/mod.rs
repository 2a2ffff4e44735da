//! `tally lsp`: a language server over standard input and output. Synchronous: one message at a
//! time, in order; each document is sent whole on every change.
//!
//! [`position`] maps spans to LSP positions (UTF-16 columns); [`document`] reads an open document;
//! [`diagnostics`], [`hover`], [`navigation`] (definition, references, outline), [`completion`]
//! and [`actions`] (quick fixes, formatting) answer the requests. A request that cannot be read
//! gets an error response; one about a document that is not open gets an empty answer.

mod actions;
mod completion;
mod diagnostics;
mod document;
mod hover;
mod index;
mod ledger;
mod navigation;
pub mod position;
mod rank_hover;
mod relative_hover;

use std::collections::HashMap;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument,
    Notification as NotificationTrait, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest,
    References, Request as RequestTrait,
};
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, GotoDefinitionResponse, Hover, HoverContents,
    HoverProviderCapability, MarkupContent, MarkupKind, OneOf, PublishDiagnosticsParams,
    ServerCapabilities, TextDocumentPositionParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, Url,
};

use document::{Document, Language};

/// Serves one client on standard input and output until it says `exit` or hangs up.
pub fn run() -> Result<(), String> {
    let (connection, io) = Connection::stdio();
    let capabilities = serde_json::to_value(capabilities()).map_err(|e| failed(&e))?;
    let params = connection.initialize(capabilities).map_err(|e| {
        crate::tr!(
            format!("the client did not start a session: {e}"),
            format!("编辑器没有开始会话：{e}")
        )
    })?;
    // The editor's language, unless `--lang` chose one.
    if let Some(locale) = params.get("locale").and_then(serde_json::Value::as_str) {
        crate::lang::prefer(locale);
    }
    let mut server = Server::default();
    serve(&connection, &mut server)?;
    drop(connection);
    io.join().map_err(|e| failed(&e))
}

/// The connection failing (`e` is the protocol library's reason, in English).
fn failed(e: &dyn std::fmt::Display) -> String {
    crate::tr!(
        format!("the connection failed: {e}"),
        format!("连接出错：{e}")
    )
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".to_string()]),
            ..CompletionOptions::default()
        }),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

fn serve(connection: &Connection, server: &mut Server) -> Result<(), String> {
    let send = |message: Message| {
        connection.sender.send(message).map_err(|e| {
            crate::tr!(
                format!("the connection closed: {e}"),
                format!("连接已断开：{e}")
            )
        })
    };
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection
                    .handle_shutdown(&request)
                    .map_err(|e| failed(&e))?
                {
                    return Ok(());
                }
                send(server.request(request).into())?;
            }
            Message::Notification(n) if n.method == "exit" => return Ok(()),
            Message::Notification(n) => {
                for out in server.notification(n) {
                    send(out.into())?;
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

#[derive(Default)]
struct Server {
    documents: HashMap<Url, Document>,
}

/// Reads a request's parameters and serializes its answer; bad parameters are an error response.
fn answer<R: RequestTrait>(
    request: Request,
    handle: impl FnOnce(R::Params) -> R::Result,
) -> Response {
    let id = request.id.clone();
    match serde_json::from_value::<R::Params>(request.params) {
        Err(e) => Response::new_err(
            id,
            ErrorCode::InvalidParams as i32,
            // `e` is serde's reason, in English: it names the JSON field at fault.
            crate::tr!(
                format!("cannot read the parameters of `{}`: {e}", R::METHOD),
                format!("读不了 `{}` 的参数：{e}", R::METHOD)
            ),
        ),
        Ok(params) => match serde_json::to_value(handle(params)) {
            Ok(value) => Response::new_ok(id, value),
            Err(e) => Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                crate::tr!(
                    format!("cannot write the answer to `{}`: {e}", R::METHOD),
                    format!("写不出 `{}` 的回答：{e}", R::METHOD)
                ),
            ),
        },
    }
}

impl Server {
    /// The document and the byte offset a position request is about.
    fn at(&self, p: &TextDocumentPositionParams) -> Option<(&Document, usize)> {
        let doc = self.documents.get(&p.text_document.uri)?;
        let offset = doc.lines.offset(p.position)?;
        Some((doc, offset))
    }

    fn request(&mut self, request: Request) -> Response {
        match request.method.as_str() {
            HoverRequest::METHOD => answer::<HoverRequest>(request, |p| {
                let (doc, offset) = self.at(&p.text_document_position_params)?;
                let (said, span) = hover::hover(doc, offset)?;
                Some(Hover {
                    contents: HoverContents::Markup(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value: said,
                    }),
                    range: Some(doc.lines.range(span)),
                })
            }),
            GotoDefinition::METHOD => answer::<GotoDefinition>(request, |p| {
                let uri = &p.text_document_position_params.text_document.uri;
                let (doc, offset) = self.at(&p.text_document_position_params)?;
                navigation::definition(uri, doc, offset).map(GotoDefinitionResponse::Scalar)
            }),
            References::METHOD => answer::<References>(request, |p| {
                let uri = &p.text_document_position.text_document.uri;
                let (doc, offset) = self.at(&p.text_document_position)?;
                let with = p.context.include_declaration;
                Some(navigation::references(uri, doc, offset, with))
            }),
            DocumentSymbolRequest::METHOD => answer::<DocumentSymbolRequest>(request, |p| {
                let doc = self.documents.get(&p.text_document.uri)?;
                Some(navigation::symbols(doc).into())
            }),
            Completion::METHOD => answer::<Completion>(request, |p| {
                let (doc, offset) = self.at(&p.text_document_position)?;
                if doc.language != Language::Policy {
                    return None;
                }
                Some(completion::complete(doc, offset).into())
            }),
            Formatting::METHOD => answer::<Formatting>(request, |p| {
                let doc = self.documents.get(&p.text_document.uri)?;
                actions::format(doc)
            }),
            CodeActionRequest::METHOD => answer::<CodeActionRequest>(request, |p| {
                let doc = self.documents.get(&p.text_document.uri)?;
                Some(actions::code_actions(&p.text_document.uri, doc, p.range))
            }),
            _ => Response::new_err(
                request.id,
                ErrorCode::MethodNotFound as i32,
                crate::tr!(
                    format!("`{}` is not supported", request.method),
                    format!("不支持 `{}`", request.method)
                ),
            ),
        }
    }

    /// Handles a notification; returns the notifications to send back (diagnostics).
    fn notification(&mut self, n: Notification) -> Vec<Notification> {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params)
                else {
                    return Vec::new();
                };
                let doc = p.text_document;
                let language = Language::of(&doc.uri, Some(&doc.language_id));
                self.update(doc.uri, language, doc.text, Some(doc.version))
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params)
                else {
                    return Vec::new();
                };
                let uri = p.text_document.uri;
                let Some(old) = self.documents.get(&uri) else {
                    return Vec::new();
                };
                let language = old.language;
                let mut text = old.text.clone();
                for change in p.content_changes {
                    match change.range {
                        None => text = change.text,
                        // Not asked for (the sync is full), but applied if a client sends it.
                        Some(range) => {
                            let lines = position::Lines::new(&text);
                            if let Some(span) = lines.span(range) {
                                text.replace_range(span.start..span.end, &change.text);
                            }
                        }
                    }
                }
                self.update(uri, language, text, Some(p.text_document.version))
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params)
                else {
                    return Vec::new();
                };
                let uri = p.text_document.uri;
                if self.documents.remove(&uri).is_none() {
                    return Vec::new();
                }
                vec![publish(uri, Vec::new(), None)]
            }
            _ => Vec::new(),
        }
    }

    fn update(
        &mut self,
        uri: Url,
        language: Language,
        text: String,
        version: Option<i32>,
    ) -> Vec<Notification> {
        let known = self.documents.remove(&uri).and_then(|d| d.known);
        let doc = Document::new(&uri, language, text, known);
        let diagnostics = diagnostics::to_lsp(&uri, &doc);
        self.documents.insert(uri.clone(), doc);
        vec![publish(uri, diagnostics, version)]
    }
}

fn publish(
    uri: Url,
    diagnostics: Vec<lsp_types::Diagnostic>,
    version: Option<i32>,
) -> Notification {
    let params = PublishDiagnosticsParams {
        uri,
        diagnostics,
        version,
    };
    Notification::new(PublishDiagnostics::METHOD.to_string(), params)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every request at every place of every policy and scenario in the repository answers
    /// without a panic, and every answer's positions are inside the document.
    #[test]
    fn every_request_at_every_offset_of_every_fixture() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = vec![root.join("policies/dashuipo-2020.policy")];
        for folder in [
            "tests/fixtures/check",
            "tests/fixtures/fmt",
            "tests/fixtures/scenario",
        ] {
            if let Ok(entries) = std::fs::read_dir(root.join(folder)) {
                files.extend(entries.filter_map(|e| e.ok()).map(|e| e.path()));
            }
        }
        let mut requests = 0;
        for path in files {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("x");
            let Ok(uri) = Url::parse(&format!("file:///t/{name}")) else {
                continue;
            };
            let doc = Document::new(&uri, Language::of(&uri, None), text.clone(), None);
            let end = doc.lines.position(text.len());
            let inside = |r: &lsp_types::Range| r.start <= r.end && r.end <= end;
            assert!(
                diagnostics::to_lsp(&uri, &doc)
                    .iter()
                    .all(|d| inside(&d.range))
            );
            let _ = actions::format(&doc);
            let _ = navigation::symbols(&doc);
            let all = doc.lines.all();
            let _ = actions::code_actions(&uri, &doc, all);
            // Dashuipo is long: every 7th offset there, every one elsewhere.
            let step = if text.len() > 20_000 { 7 } else { 1 };
            for offset in (0..=text.len()).step_by(step) {
                if !text.is_char_boundary(offset) {
                    continue;
                }
                requests += 1;
                if let Some((_, span)) = hover::hover(&doc, offset) {
                    assert!(inside(&doc.lines.range(span)));
                }
                if let Some(l) = navigation::definition(&uri, &doc, offset) {
                    assert!(inside(&l.range));
                }
                for l in navigation::references(&uri, &doc, offset, true) {
                    assert!(inside(&l.range));
                }
                let _ = completion::complete(&doc, offset);
            }
        }
        assert!(requests > 10_000, "{requests}");
    }
}
