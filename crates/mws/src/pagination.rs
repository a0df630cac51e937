//! NextToken pagination as a stream that stops with an error instead of looping when Amazon
//! hands back a token it already gave.

use std::collections::HashSet;

use futures::future::BoxFuture;
use futures::stream::{self, Stream};

use crate::error::MwsError;
use crate::quota::Operation;

enum Step<P> {
    First(BoxFuture<'static, Result<P, MwsError>>),
    Next(String),
    Repeated,
    Done,
}

/// Pages through a listing: awaits `first`, then calls `next` with each page's continuation
/// token (read by `token`) until a page has none. A token seen before ends the stream with
/// [`MwsError::RepeatedNextToken`] after yielding the page that carried it. An error ends the
/// stream after it is yielded.
pub(crate) fn paginate<P, N, T>(
    first: BoxFuture<'static, Result<P, MwsError>>,
    next: N,
    token: T,
    next_operation: Operation,
) -> impl Stream<Item = Result<P, MwsError>> + Send + 'static
where
    P: Send + 'static,
    N: Fn(String) -> BoxFuture<'static, Result<P, MwsError>> + Send + 'static,
    T: Fn(&P) -> Option<&str> + Send + 'static,
{
    let state = (Step::First(first), HashSet::<String>::new(), next, token);
    stream::unfold(state, move |(step, mut seen, next, token)| async move {
        let result = match step {
            Step::Done => return None,
            Step::Repeated => {
                let error = MwsError::RepeatedNextToken {
                    operation: next_operation,
                };
                return Some((Err(error), (Step::Done, seen, next, token)));
            }
            Step::First(future) => future.await,
            Step::Next(page_token) => next(page_token).await,
        };
        let following = match &result {
            Err(_) => Step::Done,
            Ok(page) => match token(page) {
                None => Step::Done,
                Some(page_token) if !seen.insert(page_token.to_owned()) => Step::Repeated,
                Some(page_token) => Step::Next(page_token.to_owned()),
            },
        };
        Some((result, (following, seen, next, token)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::{FutureExt, StreamExt};
    use std::sync::{Arc, Mutex};

    #[derive(Debug, Clone, PartialEq)]
    struct Page {
        items: Vec<u32>,
        next: Option<String>,
    }

    fn page(items: &[u32], next: Option<&str>) -> Page {
        Page {
            items: items.to_vec(),
            next: next.map(str::to_owned),
        }
    }

    /// A listing whose pages are looked up by token; records the tokens asked for.
    fn listing(
        pages: Vec<(&'static str, Page)>,
        first: Page,
    ) -> (
        impl Stream<Item = Result<Page, MwsError>>,
        Arc<Mutex<Vec<String>>>,
    ) {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let log = asked.clone();
        let stream = paginate(
            async move { Ok(first) }.boxed(),
            move |token: String| {
                log.lock().expect("lock").push(token.clone());
                let found = pages
                    .iter()
                    .find(|(t, _)| *t == token)
                    .map(|(_, p)| p.clone());
                async move { Ok(found.unwrap_or_else(|| page(&[], None))) }.boxed()
            },
            |p: &Page| p.next.as_deref(),
            Operation::ListOrdersByNextToken,
        );
        (stream, asked)
    }

    #[tokio::test]
    async fn follows_tokens_until_none() {
        let (stream, asked) = listing(
            vec![("t1", page(&[3, 4], Some("t2"))), ("t2", page(&[5], None))],
            page(&[1, 2], Some("t1")),
        );
        let pages: Vec<_> = stream.collect().await;
        let items: Vec<u32> = pages
            .into_iter()
            .flat_map(|p| p.expect("ok").items)
            .collect();
        assert_eq!(items, vec![1, 2, 3, 4, 5]);
        assert_eq!(*asked.lock().expect("lock"), vec!["t1", "t2"]);
    }

    #[tokio::test]
    async fn a_repeated_token_ends_with_an_error_instead_of_looping() {
        let (stream, asked) = listing(
            vec![
                ("t1", page(&[2], Some("t2"))),
                ("t2", page(&[3], Some("t1"))),
            ],
            page(&[1], Some("t1")),
        );
        let results: Vec<_> = stream.collect().await;
        assert_eq!(results.len(), 4, "three pages then the error");
        assert!(results[..3].iter().all(Result::is_ok));
        let error = results[3].as_ref().expect_err("repeated");
        assert!(matches!(error, MwsError::RepeatedNextToken { .. }));
        assert_eq!(error.kind(), crate::ErrorKind::RepeatedNextToken);
        assert_eq!(*asked.lock().expect("lock"), vec!["t1", "t2"]);
    }

    #[tokio::test]
    async fn an_error_ends_the_stream() {
        let stream = paginate(
            async {
                Err::<Page, _>(MwsError::invalid_request(
                    Operation::ListOrders,
                    "broken on purpose",
                ))
            }
            .boxed(),
            |_token: String| async { Ok(page(&[9], None)) }.boxed(),
            |p: &Page| p.next.as_deref(),
            Operation::ListOrdersByNextToken,
        );
        let results: Vec<_> = stream.collect().await;
        assert_eq!(results.len(), 1);
        assert!(results[0].is_err());
    }
}
