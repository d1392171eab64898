//! The administrator's view of the exchange's outgoing channels: for each agreement and partner,
//! the last message delivered, the queue, and a halt with the partner's code and this node's
//! record, resumed from here once both nodes agree on the channel again.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use sapar_model::Role;
use sapar_register::RegisterError;
use serde::Deserialize;

use super::require;
use crate::WebState;
use crate::page::{Ctx, PageError, render};
use crate::session::Officer;

pub(crate) struct HaltCell {
    code: String,
    detail: String,
    since: String,
}

pub(crate) struct ChannelRow {
    channel: String,
    partner: String,
    /// The last sequence number delivered, or a dash.
    delivered: String,
    queued: i64,
    halt: Option<HaltCell>,
}

#[derive(Template)]
#[template(path = "channels.html")]
struct ChannelsPage {
    ctx: Ctx,
    configured: bool,
    rows: Vec<ChannelRow>,
    notice: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ChannelsParams {
    /// A channel just resumed, or why one was not.
    #[serde(default)]
    resumed: String,
    #[serde(default)]
    refused: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ResumeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    channel: String,
}

const ADMINS: &[Role] = &[Role::Admin];

/// `GET /admin/channels`.
pub(crate) async fn channels(
    State(state): State<WebState>,
    officer: Officer,
    Query(params): Query<ChannelsParams>,
) -> Result<Response, PageError> {
    require(&officer, ADMINS)?;
    let lang = officer.lang;
    let ctx = Ctx::of(&officer);
    let notice = match (params.resumed.as_str(), params.refused.as_str()) {
        ("", "") => None,
        (channel, "") => Some(format!("{}: {channel}", ctx.t("channels-resumed"))),
        (_, code) => Some(format!("{} ({code})", ctx.t("channels-not-resumed"))),
    };
    let Some(desk) = state.case_desk.as_deref() else {
        return Ok(render(&ChannelsPage { ctx, configured: false, rows: Vec::new(), notice }, lang));
    };
    let channels = desk.channels(&officer.session.actor).await.map_err(|e| PageError::from_register(lang, e))?;
    let rows = channels
        .into_iter()
        .map(|c| ChannelRow {
            partner: c.partner.code().to_owned(),
            delivered: c.delivered_seq.map_or_else(|| "—".to_owned(), |s| s.to_string()),
            queued: c.queued,
            halt: c.halt.map(|h| HaltCell { code: h.code, detail: h.detail, since: ctx.at(&h.since) }),
            channel: c.channel,
        })
        .collect();
    Ok(render(&ChannelsPage { ctx, configured: true, rows, notice }, lang))
}

/// `POST /admin/channels/resume`: resumes a halted channel, then back to the channels.
pub(crate) async fn resume(
    State(state): State<WebState>,
    officer: Officer,
    Form(form): Form<ResumeForm>,
) -> Result<Response, PageError> {
    require(&officer, ADMINS)?;
    officer.check_csrf(&form.csrf)?;
    let lang = officer.lang;
    let desk = state.case_desk.as_deref().ok_or(PageError::NotFound(lang))?;
    let outcome = match desk.resume_channel(&officer.session.actor, &form.channel).await {
        Ok(c) => ("resumed", c.channel),
        Err(RegisterError::ExchangeRefused { code, .. }) => ("refused", code.to_owned()),
        Err(e) => return Err(PageError::from_register(lang, e)),
    };
    let query = serde_urlencoded::to_string([outcome]).unwrap_or_default();
    Ok(Redirect::to(&format!("/admin/channels?{query}")).into_response())
}
