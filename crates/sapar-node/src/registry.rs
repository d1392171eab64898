//! The treaty registry a running node judges messages by: the agreements as amended by authority
//! changes (Art. 2) and every version of every signatory list (Art. 10.3, 10.4). It is built from
//! the start-up files (the agreement files and the partners' `signatories.json`, the initial
//! lists) and what the store recorded since, in the order recorded; its generation says which
//! records it reflects, so that the receiver can tell when another writer (or another process on
//! the same database) recorded something and reload.

use std::sync::{Arc, PoisonError, RwLock};

use sapar_model::Country;
use sapar_store::Store;
use sapar_store::exchange::{
    AuthorityChangeRow, ExchangeRegistry, NewAuthorityRow, RegistryChange, SignatoryListRow, SignatoryRow,
};
use sapar_treaty::agreement::AgreementBook;
use sapar_treaty::ids::{AgreementId, AuthorityId, Sha256Hash};
use sapar_treaty::message::{AuthorityChange, SignatoryEntry, SignatoryList};
use sapar_treaty::receive::SignatoryBook;

use crate::NodeError;

/// The registry as of one generation.
#[derive(Debug, Clone)]
pub struct RegistryView {
    /// The generation of the last store record applied (0: the start-up files only).
    pub generation: i64,
    /// The agreements, with every recorded authority change applied.
    pub book: Arc<AgreementBook>,
    /// The initial lists and every recorded version.
    pub signatories: SignatoryBook,
}

/// The node's registry: the start-up files, and the view built over them from the store.
#[derive(Debug)]
pub struct Registry {
    base_book: Arc<AgreementBook>,
    base_lists: Vec<SignatoryList>,
    current: RwLock<Arc<RegistryView>>,
}

fn corrupt(what: String) -> NodeError {
    NodeError::Corrupt(what)
}

/// A stored list as the treaty engine knows it.
pub fn list_of(row: &SignatoryListRow) -> Result<SignatoryList, NodeError> {
    let bad = |what: &str| corrupt(format!("signatory list {} version {}: {what}", row.authority, row.version));
    Ok(SignatoryList {
        authority: AuthorityId::parse(&row.authority).map_err(|_| bad("authority"))?,
        version: u32::try_from(row.version).map_err(|_| bad("version"))?,
        effective_from: row.effective_from,
        signatories: row
            .signatories
            .iter()
            .map(|s| {
                Ok(SignatoryEntry {
                    name: s.name.clone(),
                    position: s.position.clone(),
                    certificate_sha256: Sha256Hash::parse(&s.certificate_sha256).map_err(|_| bad("fingerprint"))?,
                })
            })
            .collect::<Result<Vec<_>, NodeError>>()?,
    })
}

/// The row recorded for a list.
pub fn row_of_list(list: &SignatoryList) -> SignatoryListRow {
    SignatoryListRow {
        authority: list.authority.to_string(),
        version: i64::from(list.version),
        effective_from: list.effective_from,
        signatories: list
            .signatories
            .iter()
            .map(|s| SignatoryRow {
                name: s.name.clone(),
                position: s.position.clone(),
                certificate_sha256: s.certificate_sha256.to_hex(),
            })
            .collect(),
    }
}

/// The row recorded for an authority change under `agreement`.
pub fn row_of_change(agreement: &AgreementId, change: &AuthorityChange) -> AuthorityChangeRow {
    AuthorityChangeRow {
        agreement: agreement.to_string(),
        state: change.state.code().to_owned(),
        effective_on: change.effective_on,
        replaced: change.replaced.as_ref().map(ToString::to_string),
        new: change.new.as_ref().map(|(id, name_ru, name_en)| NewAuthorityRow {
            id: id.to_string(),
            name_ru: name_ru.clone(),
            name_en: name_en.clone(),
        }),
        basis: change.basis.clone(),
    }
}

/// A stored change as the treaty engine knows it, with the agreement it applies to.
fn change_of(row: &AuthorityChangeRow, id: uuid::Uuid) -> Result<(AgreementId, AuthorityChange), NodeError> {
    let bad = |what: &str| corrupt(format!("authority change {id}: {what}"));
    let authority = |raw: &str| AuthorityId::parse(raw).map_err(|_| bad("authority id"));
    Ok((
        AgreementId::parse(&row.agreement).map_err(|_| bad("agreement"))?,
        AuthorityChange {
            state: Country::parse(&row.state).map_err(|_| bad("state"))?,
            effective_on: row.effective_on,
            replaced: row.replaced.as_deref().map(authority).transpose()?,
            new: row
                .new
                .as_ref()
                .map(|n| Ok::<_, NodeError>((authority(&n.id)?, n.name_ru.clone(), n.name_en.clone())))
                .transpose()?,
            basis: row.basis.clone(),
        },
    ))
}

impl Registry {
    /// The registry of the start-up files: `book` and the initial signatory lists.
    pub fn new(book: Arc<AgreementBook>, initial_lists: Vec<SignatoryList>) -> Registry {
        let mut signatories = SignatoryBook::default();
        for list in &initial_lists {
            signatories.add(list.clone());
        }
        let view = RegistryView { generation: 0, book: Arc::clone(&book), signatories };
        Registry { base_book: book, base_lists: initial_lists, current: RwLock::new(Arc::new(view)) }
    }

    /// The view held now (it may be behind the store; see [`Registry::at_least`]).
    pub fn current(&self) -> Arc<RegistryView> {
        Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// The start-up files with `stored` applied, in generation order. A recorded change that no
    /// longer applies (the agreement files changed under the records) is an error naming it.
    pub fn build(&self, stored: &ExchangeRegistry) -> Result<RegistryView, NodeError> {
        let mut book = (*self.base_book).clone();
        let mut signatories = SignatoryBook::default();
        for list in &self.base_lists {
            signatories.add(list.clone());
        }
        for record in &stored.records {
            match &record.change {
                RegistryChange::SignatoryList(row) => signatories.add(list_of(row)?),
                RegistryChange::AuthorityChange(row) => {
                    let (agreement, change) = change_of(row, record.message_id)?;
                    let held = book.get(&agreement).ok_or_else(|| {
                        corrupt(format!("authority change {}: agreement {agreement} is unknown", record.message_id))
                    })?;
                    let changed = change.apply_to(held).map_err(|e| {
                        corrupt(format!("authority change {} no longer applies: {e}", record.message_id))
                    })?;
                    book.replace(changed);
                }
            }
        }
        Ok(RegistryView { generation: stored.generation(), book: Arc::new(book), signatories })
    }

    /// Reads every record from `store` and makes the view over them current (unless a newer one
    /// was made current meanwhile); returns the current view.
    pub async fn reload(&self, store: &Store) -> Result<Arc<RegistryView>, NodeError> {
        let stored = store.exchange_registry().await?;
        let view = Arc::new(self.build(&stored)?);
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        if view.generation >= current.generation {
            *current = Arc::clone(&view);
        }
        Ok(Arc::clone(&current))
    }

    /// The current view, reloaded first when it does not reflect `generation` (the store's).
    pub async fn at(&self, store: &Store, generation: i64) -> Result<Arc<RegistryView>, NodeError> {
        let view = self.current();
        if view.generation == generation {
            return Ok(view);
        }
        self.reload(store).await
    }

    /// The current view, reloaded first when the store recorded something since.
    pub async fn at_least(&self, store: &Store) -> Result<Arc<RegistryView>, NodeError> {
        let generation = store.registry_generation().await?;
        self.at(store, generation).await
    }
}
