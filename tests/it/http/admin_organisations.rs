//! The admin's organisation pages: an organisation added, refused, changed (name, sector,
//! headcount, federation) and its contacts kept — each checked where it takes effect: the score's
//! headcount, the federation's benchmark access, the contacts a report is sent to.

use blendscan::domain::access::Role;

use super::admin::{location, row};
use crate::support::service::{TestApp, YEAR};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_adds_an_organisation_and_changes_its_name_profile_and_federation() {
    let app = TestApp::start().await;
    let admin = app.login(Role::Admin).await;

    // A headcount that is not a number is refused beside the form, in Dutch; what was typed stays.
    let res = app
        .page_post(
            &admin,
            "/admin/organisations",
            &[("name", "CAW Nieuw"), ("staff", "veel"), ("sector", "CAW")],
        )
        .await;
    assert_eq!(res.status(), 400);
    let html = res.text().await.expect("html");
    assert!(html.contains("geef een geheel getal vanaf 1"), "{html}");
    assert!(html.contains("value=\"CAW Nieuw\""), "the name stays");
    assert!(
        !html.contains("data-organisation=\"caw-nieuw\""),
        "nothing stored"
    );

    // Added, with a new federation: to its page, which says so.
    let res = app
        .page_post(
            &admin,
            "/admin/organisations",
            &[
                ("name", "CAW Nieuw"),
                ("sector", "CAW"),
                ("staff", "25"),
                ("federation", "Koepel Drie"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/admin/organisations/caw-nieuw?done=added");
    let html = app
        .page_get(&admin, "/admin/organisations")
        .await
        .text()
        .await
        .expect("html");
    let added = row(&html, "data-organisation", "caw-nieuw");
    for cell in ["CAW Nieuw", "CAW", "Koepel Drie", "25"] {
        assert!(added.contains(cell), "{cell} in {added}");
    }

    // The own organisation changes name, headcount and federation; its slug stays.
    let own = app.own_org.clone();
    let page = format!("/admin/organisations/{own}");
    let res = app
        .page_post(
            &admin,
            &page,
            &[
                ("name", "CAW Eigen Hernoemd"),
                ("sector", "CAW"),
                ("staff", "80"),
                ("federation", "koepel-drie"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), format!("{page}?done=changed"));
    let html = app
        .page_get(&admin, &location(&res))
        .await
        .text()
        .await
        .expect("html");
    assert!(html.contains("De organisatie is bewaard."), "{html}");
    assert!(html.contains("value=\"CAW Eigen Hernoemd\""));
    let org = blendscan::db::organisations::organisation_by_slug(&app.db, &own)
        .await
        .expect("organisation");
    assert_eq!(org.name, "CAW Eigen Hernoemd");
    assert_eq!(org.federation.as_deref(), Some("koepel-drie"));
    let score: serde_json::Value = app
        .api_get(
            Role::Admin,
            &format!("/api/v1/organisations/{own}/scans/{YEAR}/score"),
        )
        .await
        .json()
        .await
        .expect("score");
    assert_eq!(score["staff_headcount"], 80, "the score uses it at once");
    // Out of its old federation: that federation's analyst no longer sees it (not even in aggregate).
    let res = app
        .api_get(
            Role::Federation,
            &format!("/api/v1/federations/{}/scans/{YEAR}/benchmark", app.own_fed),
        )
        .await;
    assert_ne!(res.status(), 200, "the old federation has no member left");

    // An empty name is refused and nothing changes.
    let res = app
        .page_post(&admin, &page, &[("name", "  "), ("federation", "")])
        .await;
    assert_eq!(res.status(), 400);
    let org = blendscan::db::organisations::organisation_by_slug(&app.db, &own)
        .await
        .expect("organisation");
    assert_eq!(org.name, "CAW Eigen Hernoemd");
    assert_eq!(org.federation.as_deref(), Some("koepel-drie"));

    // An organisation that does not exist is not found, on the page and in its forms.
    let res = app
        .page_get(&admin, "/admin/organisations/bestaat-niet")
        .await;
    assert_eq!(res.status(), 404);
    let res = app
        .page_post(
            &admin,
            "/admin/organisations/bestaat-niet",
            &[("name", "X")],
        )
        .await;
    assert_eq!(res.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_keeps_an_organisations_contacts_the_coordinator_sees_them() {
    let app = TestApp::start().await;
    let admin = app.login(Role::Admin).await;
    let own = app.own_org.clone();
    let page = format!("/admin/organisations/{own}");

    // A bad address is said beside the contact form and kept.
    let res = app
        .page_post(
            &admin,
            &format!("{page}/contacts"),
            &[("email", "geen-adres"), ("name", "Els"), ("lang", "en")],
        )
        .await;
    assert_eq!(res.status(), 400);
    let html = res.text().await.expect("html");
    assert!(html.contains("id=\"contact-error\""), "{html}");
    assert!(html.contains("value=\"geen-adres\""));

    let res = app
        .page_post(
            &admin,
            &format!("{page}/contacts"),
            &[
                ("email", "els@caw.example"),
                ("name", "Els"),
                ("lang", "en"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), format!("{page}?done=contactsaved"));
    // The coordinator's settings page shows the same contacts (one list, two doors).
    let coordinator = app.login(Role::Coordinator).await;
    let settings = format!("/organisations/{own}/settings");
    let html = app
        .page_get(&coordinator, &settings)
        .await
        .text()
        .await
        .expect("html");
    let els = row(&html, "data-contact", "els@caw.example");
    assert!(els.contains("Els") && els.contains("en"), "{els}");

    let res = app
        .page_post(
            &admin,
            &format!("{page}/contacts/remove"),
            &[("email", "els@caw.example")],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), format!("{page}?done=contactremoved"));
    let res = app
        .page_post(
            &admin,
            &format!("{page}/contacts/remove"),
            &[("email", "els@caw.example")],
        )
        .await;
    assert_eq!(res.status(), 404, "removing it again: not a contact");
    let (_, contacts) = blendscan::mail::contacts::list_contacts(&app.db, &own)
        .await
        .expect("contacts");
    assert!(contacts.iter().all(|c| c.email != "els@caw.example"));

    // Nobody but the admin reaches these pages, not even the organisation's own coordinator.
    for role in [Role::Coordinator, Role::Counsellor, Role::Federation] {
        let session = app.login(role).await;
        let res = app.page_get(&session, &page).await;
        assert_eq!(res.status(), 403, "{role:?}");
        let res = app
            .page_post(
                &session,
                &format!("{page}/contacts"),
                &[("email", "sluiper@caw.example")],
            )
            .await;
        assert_eq!(res.status(), 403, "{role:?}");
    }
    let (_, contacts) = blendscan::mail::contacts::list_contacts(&app.db, &own)
        .await
        .expect("contacts");
    assert!(contacts.iter().all(|c| c.email != "sluiper@caw.example"));
}
