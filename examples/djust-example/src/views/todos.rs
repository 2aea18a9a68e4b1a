//! `/todos/` and `/todos/{id}/`: a shared todo board whose tab title counts the open todos
//! (live: it changes with every add, toggle and removal), flash messages on every change, and a
//! detail page reading its id from the path.

use std::sync::Mutex;

use djust_actix::prelude::*;

/// At most this many todos are kept (the oldest go first).
const MAX_TODOS: usize = 200;
/// At most this many characters of a todo are kept.
const MAX_TEXT: usize = 200;

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
}

impl TodoStore {
    fn with<T>(&self, change: impl FnOnce(&mut (u64, Vec<Todo>)) -> T) -> T {
        change(
            &mut self
                .todos
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }

    fn all(&self) -> Vec<Todo> {
        self.with(|(_, todos)| todos.clone())
    }

    fn get(&self, id: u64) -> Option<Todo> {
        self.with(|(_, todos)| todos.iter().find(|todo| todo.id == id).cloned())
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
    store: std::sync::Arc<TodoStore>,
}

#[events]
impl Todos {
    fn mount(ctx: &mut MountContext<'_, ()>) -> Result<Self, MountError> {
        let store = ctx
            .data::<std::sync::Arc<TodoStore>>()
            .cloned()
            .ok_or_else(|| MountError::new("the todo store is not registered"))?;
        Ok(Self {
            todos: store.all(),
            store,
        })
    }

    /// `(2) Todos`: the open todos, live.
    fn title(&self) -> String {
        format!("({}) Todos", self.open())
    }

    /// Adds the todo typed in the form.
    #[event]
    fn add(&mut self, text: String, ctx: &mut Context<()>) {
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
    fn toggle(&mut self, id: u64, ctx: &mut Context<()>) {
        match self.store.toggle(id) {
            Some(todo) if todo.done => ctx.put_flash("info", format!("Done: “{}”", todo.text)),
            Some(_) => {}
            None => ctx.put_flash("error", "That todo is gone"),
        }
        self.todos = self.store.all();
    }

    /// Removes a todo.
    #[event]
    fn remove(&mut self, id: u64, ctx: &mut Context<()>) {
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
