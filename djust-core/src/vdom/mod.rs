//! HTML tokenizer, VDOM with stable ids, keyed diff and patch encoding (in progress).
