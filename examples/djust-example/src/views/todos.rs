//! `/todos/` and `/todos/{id}/`: a shared todo board whose tab title counts the open todos
//! (live: it changes with every add, toggle and removal), flash messages on every change, and a
//! detail page reading its id from the path. Every change reaches every open board (server push
//! through a `Topic`); each row has a checkbox, the "Archive done" button (`dj-disable-with`)
//! is relabelled by its answer, and a filter (`dj-input` + `dj-debounce`) narrows the list.

use std::sync::Mutex;

use djust_actix::prelude::*;

/// At most this many todos are kept (the oldest go first).
const MAX_TODOS: usize = 200;
/// At most this many characters of a todo are kept.
const MAX_TEXT: usize = 200;
/// At most this many characters of the filter are kept.
const MAX_FILTER: usize = 100;

/// One todo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Todo {
    /// Its id, in its URL (`/todos/{id}/`) and its `dj-key`.
    pub id: u64,
    /// What to do.
    pub text: String,
    /// Done or not.
    pub done: bool,
}

/// The board every visitor shares (application data).
#[derive(Debug, Default)]
pub struct TodoStore {
    todos: Mutex<(u64, Vec<Todo>)>,
    /// The open boards: each change is announced to them.
    listeners: Topic<Changed>,
}

/// The message a `TodoStore` sends its listeners: the board changed.
#[derive(Debug, Clone, Copy)]
pub struct Changed;

impl TodoStore {
    /// Runs `change` on the todos (and the last id) and tells every open board.
    fn with<T>(&self, change: impl FnOnce(&mut (u64, Vec<Todo>)) -> T) -> T {
        let result = self.read(change);
        self.listeners.broadcast(&Changed);
        result
    }

    fn read<T>(&self, look: impl FnOnce(&mut (u64, Vec<Todo>)) -> T) -> T {
        look(
            &mut self
                .todos
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }

    fn all(&self) -> Vec<Todo> {
        self.read(|(_, todos)| todos.clone())
    }

    fn get(&self, id: u64) -> Option<Todo> {
        self.read(|(_, todos)| todos.iter().find(|todo| todo.id == id).cloned())
    }

    fn set_done(&self, id: u64, done: bool) -> Option<Todo> {
        self.with(|(_, todos)| {
            let todo = todos.iter_mut().find(|todo| todo.id == id)?;
            todo.done = done;
            Some(todo.clone())
        })
    }

    /// Removes the done todos; returns how many.
    fn archive_done(&self) -> usize {
        self.with(|(_, todos)| {
            let before = todos.len();
            todos.retain(|todo| !todo.done);
            before - todos.len()
        })
    }

    fn add(&self, text: &str) -> Todo {
        self.with(|(last, todos)| {
            *last += 1;
            let todo = Todo {
                id: *last,
                text: text.chars().take(MAX_TEXT).collect(),
                done: false,
            };
            todos.push(todo.clone());
            let excess = todos.len().saturating_sub(MAX_TODOS);
            todos.drain(..excess);
            todo
        })
    }

    fn toggle(&self, id: u64) -> Option<Todo> {
        self.with(|(_, todos)| {
            let todo = todos.iter_mut().find(|todo| todo.id == id)?;
            todo.done = !todo.done;
            Some(todo.clone())
        })
    }

    fn remove(&self, id: u64) -> Option<Todo> {
        self.with(|(_, todos)| {
            let index = todos.iter().position(|todo| todo.id == id)?;
            Some(todos.remove(index))
        })
    }
}

/// The board.
#[live_view(template = "todos.html")]
#[derive(Debug)]
pub struct Todos {
    /// The todos, oldest first (a copy of the store's, refreshed by every change).
    pub todos: Vec<Todo>,
    /// Only the todos whose text contains this (case-insensitive) are listed.
    pub filter: String,
    store: std::sync::Arc<TodoStore>,
}

#[events]
impl Todos {
    fn mount(ctx: &mut MountContext<'_, Changed>) -> Result<Self, MountError> {
        let store = ctx
            .data::<std::sync::Arc<TodoStore>>()
            .cloned()
            .ok_or_else(|| MountError::new("the todo store is not registered"))?;
        if let Some(handle) = ctx.context().handle() {
            store.listeners.subscribe(handle);
        }
        Ok(Self {
            todos: store.all(),
            filter: String::new(),
            store,
        })
    }

    /// Another board (or this one) changed the store.
    fn handle_info(&mut self, _changed: Changed, _ctx: &mut Context<Changed>) {
        self.todos = self.store.all();
    }

    /// `(2) Todos`: the open todos, live.
    fn title(&self) -> String {
        format!("({}) Todos", self.open())
    }

    /// Adds the todo typed in the form.
    #[event]
    fn add(&mut self, text: String, ctx: &mut Context<Changed>) {
        let text = text.trim();
        if text.is_empty() {
            ctx.put_flash("error", "A todo needs some text");
            return;
        }
        let todo = self.store.add(text);
        self.todos = self.store.all();
        ctx.put_flash("info", format!("Added “{}”", todo.text));
    }

    /// Marks a todo done or not done.
    #[event]
    fn toggle(&mut self, id: u64, ctx: &mut Context<Changed>) {
        match self.store.toggle(id) {
            Some(todo) if todo.done => ctx.put_flash("info", format!("Done: “{}”", todo.text)),
            Some(_) => {}
            None => ctx.put_flash("error", "That todo is gone"),
        }
        self.todos = self.store.all();
    }

    /// A row's checkbox: done (`value: true`) or not.
    #[event]
    fn set_done(&mut self, id: u64, value: bool, ctx: &mut Context<Changed>) {
        if self.store.set_done(id, value).is_none() {
            ctx.put_flash("error", "That todo is gone");
        }
        self.todos = self.store.all();
    }

    /// Removes every done todo (the button then reads "Nothing to archive", disabled).
    #[event]
    fn archive_done(&mut self, ctx: &mut Context<Changed>) {
        let archived = self.store.archive_done();
        ctx.put_flash("info", format!("Archived {archived} done"));
        self.todos = self.store.all();
    }

    /// The filter field (typed, debounced; or its form submitted), trimmed.
    #[event]
    fn filter(&mut self, value: String) {
        self.filter = value.trim().chars().take(MAX_FILTER).collect();
    }

    /// Removes a todo.
    #[event]
    fn remove(&mut self, id: u64, ctx: &mut Context<Changed>) {
        if let Some(todo) = self.store.remove(id) {
            ctx.put_flash("info", format!("Removed “{}”", todo.text));
        }
        self.todos = self.store.all();
    }
}

impl Todos {
    fn open(&self) -> usize {
        self.todos.iter().filter(|todo| !todo.done).count()
    }

    /// How many todos are done (the archive button's count).
    pub fn done(&self) -> usize {
        self.todos.len() - self.open()
    }

    /// The todos the filter lets through, oldest first.
    pub fn visible(&self) -> Vec<&Todo> {
        let needle = self.filter.trim().to_lowercase();
        self.todos
            .iter()
            .filter(|todo| todo.text.to_lowercase().contains(&needle))
            .collect()
    }
}

/// One todo's page: `/todos/{id}/`.
#[live_view(template = "todo.html")]
#[derive(Debug)]
pub struct TodoDetail {
    /// The id in the path.
    pub id: u64,
    /// The todo, if it exists.
    pub todo: Option<Todo>,
    store: std::sync::Arc<TodoStore>,
}

#[events]
impl TodoDetail {
    fn mount(ctx: &mut MountContext<'_, ()>) -> Result<Self, MountError> {
        let id = ctx
            .path_param("id")
            .and_then(|id| id.parse().ok())
            .ok_or_else(|| MountError::new("a todo id is a number"))?;
        let store = ctx
            .data::<std::sync::Arc<TodoStore>>()
            .cloned()
            .ok_or_else(|| MountError::new("the todo store is not registered"))?;
        Ok(Self {
            id,
            todo: store.get(id),
            store,
        })
    }

    fn title(&self) -> String {
        match &self.todo {
            Some(todo) => format!("Todo {}: {}", todo.id, todo.text),
            None => format!("Todo {} (gone)", self.id),
        }
    }

    /// Removes this todo and goes back to the board, where the flash is shown.
    #[event]
    fn remove(&mut self, ctx: &mut Context<()>) {
        if let Some(todo) = self.store.remove(self.id) {
            ctx.put_flash("info", format!("Removed “{}”", todo.text));
        }
        ctx.live_redirect("/todos/");
    }
}
