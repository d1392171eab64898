//! The officers' web workplace: server-rendered HTML pages (askama templates) over the
//! register's use cases, in four languages, with accounts, sessions, CSRF protection and
//! purpose-logged reads. Pages work without JavaScript; the vendored htmx only improves them.

pub mod assets;
