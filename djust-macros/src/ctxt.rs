//! Error accumulation: collect every problem, then report them all at once (serde's `Ctxt`).

use std::{cell::RefCell, fmt::Display, thread};

use quote::ToTokens;

/// Collects errors while a macro input is parsed and validated.
///
/// Dropping a `Ctxt` without calling [`Ctxt::check`] panics, so no error path can forget to
/// report what was collected.
#[derive(Debug, Default)]
pub(crate) struct Ctxt {
    errors: RefCell<Option<Vec<syn::Error>>>,
}

impl Ctxt {
    /// A new, empty context.
    pub(crate) fn new() -> Self {
        Self {
            errors: RefCell::new(Some(Vec::new())),
        }
    }

    /// Records an error spanned on `tokens`.
    pub(crate) fn error_spanned_by(&self, tokens: impl ToTokens, message: impl Display) {
        self.syn_error(syn::Error::new_spanned(tokens, message));
    }

    /// Records an error built elsewhere.
    pub(crate) fn syn_error(&self, error: syn::Error) {
        self.errors
            .borrow_mut()
            .as_mut()
            .expect("Ctxt::check already called")
            .push(error);
    }

    /// Consumes the context: `Err` with every collected error combined, if any.
    pub(crate) fn check(self) -> syn::Result<()> {
        let errors = self.errors.take().expect("Ctxt::check called twice");
        let mut errors = errors.into_iter();
        let Some(mut combined) = errors.next() else {
            return Ok(());
        };
        for error in errors {
            combined.combine(error);
        }
        Err(combined)
    }
}

impl Drop for Ctxt {
    fn drop(&mut self) {
        if !thread::panicking() && self.errors.borrow().is_some() {
            panic!("forgot to check for errors");
        }
    }
}
