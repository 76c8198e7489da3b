//! The owner's API over real HTTP on each backend: accounts, stores, staff, items, pairing and
//! devices, and that no owner (or their devices) can reach another owner's things.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test that cannot set up should fail loudly.

mod support;

use reqwest::header::{RETRY_AFTER, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::*;

/// Signs in: the status and the answer.
async fn sign_in(server: &TestServer, email: &str, password: &str) -> (StatusCode, Value) {
    let body = json!({"email": email, "password": password});
    answer(server.client.post(server.url("/api/v1/owner/signin")).json(&body)).await
}

#[tokio::test]
async fn owners_sign_up_in_and_out() {
    for backend in backends() {
        let server = start(backend).await;
        let signup = json!({"email": "  Hanako@Example.JP ", "name": "花子", "password": PASSWORD});
        let response = server
            .client
            .post(server.url("/api/v1/owner/signup"))
            .json(&signup)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        let cookie = response.headers()[SET_COOKIE].to_str().unwrap().to_owned();
        let body: Value = response.json().await.unwrap();
        let token = body["token"].as_str().unwrap();
        assert_eq!(body["owner"]["email"], "hanako@example.jp");
        assert_eq!(body["owner"]["name"], "花子");
        assert!(cookie.starts_with(&format!("__Host-akinai_session={token};")), "{cookie}");
        for part in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/", "Max-Age=2592000"] {
            assert!(cookie.contains(part), "{cookie} lacks {part}");
        }
        // The session is kept hashed, with 30 days to run.
        let (hash, expires): (String, String) =
            sqlx::query_as("SELECT token_hash, expires_at FROM session")
                .fetch_one(&server.state.db.pool)
                .await
                .unwrap();
        assert_ne!(hash, token);
        let expires = chrono::DateTime::parse_from_rfc3339(&expires).unwrap();
        let days = (expires.to_utc() - chrono::Utc::now()).num_days();
        assert!((29..=30).contains(&days), "{days}");

        let (status, me) = server.get_json("/api/v1/owner/me", token).await;
        assert_eq!((status, me["email"].as_str()), (StatusCode::OK, Some("hanako@example.jp")));
        let by_cookie = server
            .client
            .get(server.url("/api/v1/owner/me"))
            .header("cookie", format!("theme=dark; __Host-akinai_session={token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(by_cookie.status(), StatusCode::OK);

        // The same address, however written, is taken; bad input names its field.
        let again = json!({"email": "HANAKO@example.jp", "name": "x", "password": PASSWORD});
        let (status, _) =
            answer(server.client.post(server.url("/api/v1/owner/signup")).json(&again)).await;
        assert_eq!(status, StatusCode::CONFLICT);
        for (body, field) in [
            (json!({"email": "not-an-address", "name": "x", "password": PASSWORD}), "email"),
            (json!({"email": "a@b.jp", "name": "x", "password": "short"}), "password"),
            (json!({"email": "a@b.jp", "name": " ", "password": PASSWORD}), "name"),
            (json!({"email": "a@b.jp", "name": "x"}), "input"),
        ] {
            let (status, error) =
                answer(server.client.post(server.url("/api/v1/owner/signup")).json(&body)).await;
            assert_eq!(
                (status, error["field"].as_str()),
                (StatusCode::UNPROCESSABLE_ENTITY, Some(field))
            );
        }

        assert_eq!(
            sign_in(&server, "hanako@example.jp", "wrong password").await.0,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            sign_in(&server, "nobody@example.jp", PASSWORD).await.0,
            StatusCode::UNAUTHORIZED
        );
        let (status, signed_in) = sign_in(&server, " HANAKO@example.jp", PASSWORD).await;
        assert_eq!(status, StatusCode::OK);
        let second = signed_in["token"].as_str().unwrap();
        assert_ne!(second, token);

        let out =
            server.request(Method::POST, "/api/v1/owner/signout", token).send().await.unwrap();
        assert_eq!(out.status(), StatusCode::NO_CONTENT);
        assert!(out.headers()[SET_COOKIE].to_str().unwrap().contains("Max-Age=0"));
        assert_eq!(server.get_json("/api/v1/owner/me", token).await.0, StatusCode::UNAUTHORIZED);
        // Other sessions of the owner go on.
        assert_eq!(server.get_json("/api/v1/owner/me", second).await.0, StatusCode::OK);
        let anonymous = server.client.get(server.url("/api/v1/owner/me")).send().await.unwrap();
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn sign_in_failures_are_limited_per_address_and_per_client() {
    for backend in backends() {
        let server = start(backend).await;
        let owner = sign_up(&server, "taro@example.jp").await;
        // A success clears the address's failures.
        for _ in 0..4 {
            assert_eq!(
                sign_in(&server, &owner.email, "wrong password").await.0,
                StatusCode::UNAUTHORIZED
            );
        }
        assert_eq!(sign_in(&server, &owner.email, PASSWORD).await.0, StatusCode::OK);
        for _ in 0..5 {
            assert_eq!(
                sign_in(&server, &owner.email, "wrong password").await.0,
                StatusCode::UNAUTHORIZED
            );
        }
        let body = json!({"email": owner.email, "password": PASSWORD});
        let response = server
            .client
            .post(server.url("/api/v1/owner/signin"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "even the right password waits"
        );
        let retry: u64 = response.headers()[RETRY_AFTER].to_str().unwrap().parse().unwrap();
        assert!((1..=900).contains(&retry), "{retry}");
        // The session it had stays valid.
        assert_eq!(server.get_json("/api/v1/owner/me", &owner.token).await.0, StatusCode::OK);

        // 20 failures from one client, whatever the address, stop that client.
        // 9 failures so far; 11 more make 20.
        for n in 0..11 {
            let email = format!("guess{n}@example.jp");
            assert_eq!(
                sign_in(&server, &email, "wrong password").await.0,
                StatusCode::UNAUTHORIZED
            );
        }
        let (status, _) = sign_in(&server, "someone-else@example.jp", "wrong password").await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    }
}

#[tokio::test]
async fn owners_keep_stores_staff_and_items() {
    for backend in backends() {
        let server = start(backend).await;
        let owner = sign_up(&server, "shop@example.jp").await;
        let token = owner.token.as_str();
        assert_eq!(server.get_json("/api/v1/stores", token).await.1, json!([]));
        let store = create_store(&server, token, "商い堂").await;
        let (status, stores) = server.get_json("/api/v1/stores", token).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(stores[0]["settings"]["name"], "商い堂");
        let version = stores[0]["version"].as_u64().unwrap();

        let mut settings = shop_settings("商い堂 駅前店");
        settings["registration_number"] = json!("Ｔ１２３４-５６７８-９０１２-３");
        let path = format!("/api/v1/stores/{store}");
        let (status, updated) = server.send_json(Method::PUT, &path, token, &settings).await;
        assert_eq!(status, StatusCode::OK, "{updated}");
        assert_eq!(updated["settings"]["registration_number"], "T1234567890123");
        assert!(updated["version"].as_u64().unwrap() > version);
        settings["registration_number"] = json!("T123");
        let (status, error) = server.send_json(Method::PUT, &path, token, &settings).await;
        assert_eq!(
            (status, error["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("registration_number"))
        );
        assert_eq!(server.get_json(&path, token).await.1["settings"]["name"], "商い堂 駅前店");

        // Staff: PINs unique in the store, never shown, and the last owner stays.
        let manager = add_staff(&server, token, &store, "店長", "owner", "1111").await;
        let cashier = add_staff(&server, token, &store, "山田", "cashier", "2222").await;
        let staff_path = format!("/api/v1/stores/{store}/staff");
        let taken = json!({"name": "鈴木", "role": "cashier", "pin": "2222"});
        assert_eq!(
            server.send_json(Method::POST, &staff_path, token, &taken).await.0,
            StatusCode::CONFLICT
        );
        let bad_pin = json!({"name": "鈴木", "role": "cashier", "pin": "12"});
        let (status, error) = server.send_json(Method::POST, &staff_path, token, &bad_pin).await;
        assert_eq!(
            (status, error["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("pin"))
        );
        let (_, staff) = server.get_json(&staff_path, token).await;
        assert_eq!(staff.as_array().unwrap().len(), 2);
        for member in staff.as_array().unwrap() {
            assert_eq!(member.as_object().unwrap().len(), 3, "only id, name, role: {member}");
        }
        let cashier_path = format!("{staff_path}/{cashier}");
        let edit = json!({"name": "山田 太郎", "role": "cashier", "pin": "1111"});
        assert_eq!(
            server.send_json(Method::PUT, &cashier_path, token, &edit).await.0,
            StatusCode::CONFLICT
        );
        let edit = json!({"name": "山田 太郎", "role": "cashier", "pin": "3333"});
        let (status, edited) = server.send_json(Method::PUT, &cashier_path, token, &edit).await;
        assert_eq!((status, edited["name"].as_str()), (StatusCode::OK, Some("山田 太郎")));
        let manager_path = format!("{staff_path}/{manager}");
        let demote = json!({"name": "店長", "role": "cashier"});
        assert_eq!(
            server.send_json(Method::PUT, &manager_path, token, &demote).await.0,
            StatusCode::CONFLICT
        );
        assert_eq!(
            answer(server.request(Method::DELETE, &manager_path, token)).await.0,
            StatusCode::CONFLICT
        );
        assert_eq!(
            answer(server.request(Method::DELETE, &cashier_path, token)).await.0,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            answer(server.request(Method::DELETE, &cashier_path, token)).await.0,
            StatusCode::NOT_FOUND
        );
        // The removed member's PIN is free again.
        add_staff(&server, token, &store, "鈴木", "cashier", "3333").await;

        // Items one by one.
        let onigiri = item("おにぎり", 160, "food");
        let onigiri_id = add_item(&server, token, &store, &onigiri).await;
        add_item(&server, token, &store, &item("ビール", 250, "alcohol")).await;
        let items_path = format!("/api/v1/stores/{store}/items");
        let (_, items) = server.get_json(&items_path, token).await;
        assert_eq!(items.as_array().unwrap().len(), 2);
        assert_eq!(items[0], onigiri);
        let elsewhere = format!("{items_path}/{}", uuid::Uuid::now_v7());
        let (status, error) = server.send_json(Method::PUT, &elsewhere, token, &onigiri).await;
        assert_eq!(
            (status, error["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("id"))
        );
        let mut bad = onigiri.clone();
        bad["tax_class"] = json!("wine");
        let (status, error) =
            server.send_json(Method::PUT, &format!("{items_path}/{onigiri_id}"), token, &bad).await;
        assert_eq!(
            (status, error["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("tax_class"))
        );

        // The catalog as CSV: an update by name and an addition; a bad cell names row and column.
        let csv_path = format!("/api/v1/stores/{store}/items.csv");
        let csv = "name,price,tax_class\nおにぎり,180,food\nお茶,130,food\n";
        let (status, imported) =
            answer(server.request(Method::POST, &csv_path, token).body(csv)).await;
        assert_eq!((status, imported), (StatusCode::OK, json!({"added": 1, "updated": 1})));
        let bad_csv = "name,price,tax_class\nおにぎり,200,food\nお茶,abc,food\n";
        let (status, error) =
            answer(server.request(Method::POST, &csv_path, token).body(bad_csv)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error["field"], "csv.rows[3].price");
        let (_, items) = server.get_json(&items_path, token).await;
        let prices: Vec<(&str, i64)> = items
            .as_array()
            .unwrap()
            .iter()
            .map(|i| (i["name"].as_str().unwrap(), i["price"].as_i64().unwrap()))
            .collect();
        assert_eq!(
            prices,
            [("おにぎり", 180), ("ビール", 250), ("お茶", 130)],
            "nothing half-imported"
        );
        let response = server.request(Method::GET, &csv_path, token).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        let exported = response.text().await.unwrap();
        // A name column per language, empty until the owner fills it in.
        let header = "\u{feff}name,kana,name.en,name.ko,name.zh-Hans,name.zh-Hant,price,";
        assert!(exported.starts_with(header), "{exported}");
        assert!(exported.contains("おにぎり,,,,,,180,food"), "{exported}");

        let onigiri_path = format!("{items_path}/{onigiri_id}");
        assert_eq!(
            answer(server.request(Method::DELETE, &onigiri_path, token)).await.0,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            answer(server.request(Method::DELETE, &onigiri_path, token)).await.0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(server.get_json(&items_path, token).await.1.as_array().unwrap().len(), 2);

        // A device pulls what changed: the removal, as a tombstone.
        let device = pair_device(&server, token, &store, "レジ1").await;
        let changes = &device.pairing["changes"];
        assert_eq!(changes["shop"]["name"], "商い堂 駅前店");
        assert_eq!(changes["items"].as_array().unwrap().len(), 2);
        assert_eq!(changes["staff"].as_array().unwrap().len(), 2);
        let since = changes["version"].as_u64().unwrap();
        let (_, nothing) =
            server.get_json(&format!("/api/v1/changes?since={since}"), &device.token).await;
        assert_eq!((nothing["items"].clone(), nothing["shop"].clone()), (json!([]), Value::Null));
        let beer = items[1]["id"].as_str().unwrap();
        let removed =
            answer(server.request(Method::DELETE, &format!("{items_path}/{beer}"), token));
        assert_eq!(removed.await.0, StatusCode::NO_CONTENT);
        let (status, pulled) =
            server.get_json(&format!("/api/v1/changes?since={since}"), &device.token).await;
        assert_eq!((status, pulled["removed_items"].clone()), (StatusCode::OK, json!([beer])));
        let (status, error) = server.get_json("/api/v1/changes?since=x", &device.token).await;
        assert_eq!(
            (status, error["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("since"))
        );
    }
}

#[tokio::test]
async fn a_pairing_code_works_once_within_ten_minutes() {
    for backend in backends() {
        let server = start(backend).await;
        let owner = sign_up(&server, "pair@example.jp").await;
        let store = create_store(&server, &owner.token, "商い堂").await;
        add_item(&server, &owner.token, &store, &item("お茶", 130, "food")).await;

        let code = pairing_code(&server, &owner.token, &store).await;
        let text = code["code"].as_str().unwrap();
        assert_eq!(text.len(), 9);
        assert_eq!(&text[4..5], "-");
        assert!(
            text.chars().all(|c| c == '-' || "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".contains(c)),
            "{text}"
        );
        assert!(code["qr_svg"].as_str().unwrap().contains("<svg"));
        let expires =
            chrono::DateTime::parse_from_rfc3339(code["expires_at"].as_str().unwrap()).unwrap();
        let seconds = (expires.to_utc() - chrono::Utc::now()).num_seconds();
        assert!((590..=600).contains(&seconds), "{seconds}");
        let stored: String = sqlx::query_scalar("SELECT code_hash FROM pairing")
            .fetch_one(&server.state.db.pool)
            .await
            .unwrap();
        assert!(!stored.contains(&text[..4]), "kept hashed");

        // Lower-case and without the dash, as someone types it.
        let device_id = uuid::Uuid::now_v7().to_string();
        let typed = text.to_lowercase().replace('-', "");
        let pair = |code: String, device_id: String| {
            let body = json!({"code": code, "name": " レジ1 ", "device_id": device_id});
            answer(server.client.post(server.url("/api/v1/pair")).json(&body))
        };
        let (status, pairing) = pair(typed.clone(), device_id.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "{pairing}");
        assert_eq!(pairing["device_id"], device_id.as_str());
        assert_eq!(pairing["store_id"], store.as_str());
        assert_eq!(pairing["changes"]["items"][0]["name"], "お茶");
        let token = pairing["token"].as_str().unwrap();
        assert_eq!(server.get_json("/api/v1/changes", token).await.0, StatusCode::OK);
        // Once only.
        let (status, _) = pair(typed, uuid::Uuid::now_v7().to_string()).await;
        assert_eq!(status, StatusCode::CONFLICT);

        // A device that is paired already is refused, and the code stays usable.
        let code =
            pairing_code(&server, &owner.token, &store).await["code"].as_str().unwrap().to_owned();
        assert_eq!(pair(code.clone(), device_id.clone()).await.0, StatusCode::CONFLICT);
        assert_eq!(pair(code, uuid::Uuid::now_v7().to_string()).await.0, StatusCode::CREATED);

        // An expired code.
        let code =
            pairing_code(&server, &owner.token, &store).await["code"].as_str().unwrap().to_owned();
        sqlx::query("UPDATE pairing SET expires_at = $1 WHERE used_at IS NULL")
            .bind(akinai_server::db::database::time_text(
                chrono::Utc::now() - chrono::Duration::seconds(1),
            ))
            .execute(&server.state.db.pool)
            .await
            .unwrap();
        assert_eq!(pair(code, uuid::Uuid::now_v7().to_string()).await.0, StatusCode::CONFLICT);
        assert_eq!(
            pair("ZZZZ-ZZZZ".into(), uuid::Uuid::now_v7().to_string()).await.0,
            StatusCode::CONFLICT
        );

        // The device list: names, and the sync state its records show.
        let (status, devices) =
            server.get_json(&format!("/api/v1/stores/{store}/devices"), &owner.token).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(devices.as_array().unwrap().len(), 2);
        assert_eq!(devices[0]["id"], device_id.as_str());
        assert_eq!(devices[0]["name"], "レジ1");
        assert_eq!(
            (devices[0]["last_seq"].clone(), devices[0]["gaps"].clone()),
            (json!(0), json!([]))
        );
        assert!(devices[0].get("revoked_at").is_none());
    }
}

#[tokio::test]
async fn devices_show_their_sync_and_can_be_renamed_and_revoked() {
    for backend in backends() {
        let server = start(backend).await;
        let owner = sign_up(&server, "dev@example.jp").await;
        let store = create_store(&server, &owner.token, "商い堂").await;
        let device = pair_device(&server, &owner.token, &store, "レジ1").await;
        // Records 1, 2 and 5 arrived, 2 refused: 3-4 are missing.
        for (seq, rejection) in [(1, None), (2, Some(r#"{"reason":"hash_mismatch"}"#)), (5, None)] {
            sqlx::query(
                "INSERT INTO record (device_id, seq, id, store_id, kind, prev_hash, hash, body,
                     rejection, received_at)
                 VALUES ($1, $2, $3, $4, 'shift', '', '', '{}', $5, $6)",
            )
            .bind(&device.id)
            .bind(seq as i64)
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(&store)
            .bind(rejection)
            .bind(akinai_server::db::database::now_text())
            .execute(&server.state.db.pool)
            .await
            .unwrap();
        }
        let (_, devices) =
            server.get_json(&format!("/api/v1/stores/{store}/devices"), &owner.token).await;
        let status = &devices[0];
        assert_eq!(status["last_seq"], 5);
        assert_eq!(status["gaps"], json!([[3, 4]]));
        assert_eq!(status["rejected"], 1);
        assert_eq!(status["waiting"], 0);
        assert!(status["paired_at"].is_string());

        let path = format!("/api/v1/devices/{}", device.id);
        let (code, renamed) = server
            .send_json(Method::PATCH, &path, &owner.token, &json!({"name": "入口レジ"}))
            .await;
        assert_eq!(
            (code, renamed["name"].as_str(), renamed["last_seq"].as_u64()),
            (StatusCode::OK, Some("入口レジ"), Some(5))
        );
        let (code, error) =
            server.send_json(Method::PATCH, &path, &owner.token, &json!({"name": ""})).await;
        assert_eq!(
            (code, error["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("name"))
        );

        assert_eq!(server.get_json("/api/v1/changes", &device.token).await.0, StatusCode::OK);
        assert_eq!(
            answer(server.request(Method::DELETE, &path, &owner.token)).await.0,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            server.get_json("/api/v1/changes", &device.token).await.0,
            StatusCode::UNAUTHORIZED
        );
        let (_, devices) =
            server.get_json(&format!("/api/v1/stores/{store}/devices"), &owner.token).await;
        assert!(devices[0]["revoked_at"].is_string());
        assert_eq!(devices[0]["last_seq"], 5, "its records stay");
        assert_eq!(
            answer(server.request(Method::DELETE, &path, &owner.token)).await.0,
            StatusCode::NO_CONTENT
        );

        // With a new code from the owner, the revoked tablet comes back under its own id (its
        // chain goes on) with a new token; the old token stays dead.
        let code = pairing_code(&server, &owner.token, &store).await["code"].clone();
        let body = json!({"code": code, "name": "入口レジ", "device_id": device.id});
        let (status, pairing) =
            answer(server.client.post(server.url("/api/v1/pair")).json(&body)).await;
        assert_eq!(status, StatusCode::CREATED, "{pairing}");
        let token = pairing["token"].as_str().unwrap();
        assert_eq!(server.get_json("/api/v1/changes", token).await.0, StatusCode::OK);
        assert_eq!(
            server.get_json("/api/v1/changes", &device.token).await.0,
            StatusCode::UNAUTHORIZED
        );
        // Still paired, it cannot pair again.
        let code = pairing_code(&server, &owner.token, &store).await["code"].clone();
        let body = json!({"code": code, "name": "入口レジ", "device_id": device.id});
        let again = answer(server.client.post(server.url("/api/v1/pair")).json(&body)).await;
        assert_eq!(again.0, StatusCode::CONFLICT);
    }
}

#[tokio::test]
async fn wrong_pairing_codes_are_limited_per_client() {
    for backend in backends() {
        let server = start(backend).await;
        let owner = sign_up(&server, "guess@example.jp").await;
        let store = create_store(&server, &owner.token, "商い堂").await;
        let code =
            pairing_code(&server, &owner.token, &store).await["code"].as_str().unwrap().to_owned();
        let pair = |code: &str| {
            let body = json!({"code": code, "name": "x", "device_id": uuid::Uuid::now_v7()});
            answer(server.client.post(server.url("/api/v1/pair")).json(&body))
        };
        for _ in 0..20 {
            assert_eq!(pair("AAAA-AAAA").await.0, StatusCode::CONFLICT);
        }
        let (status, error) = pair(&code).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "even a right code waits: {error}");
    }
}

#[tokio::test]
async fn no_owner_reaches_another_owners_things() {
    for backend in backends() {
        let server = start(backend).await;
        let a = sign_up(&server, "a@example.jp").await;
        let store = create_store(&server, &a.token, "A店").await;
        let staff = add_staff(&server, &a.token, &store, "A店長", "owner", "1111").await;
        let cashier = add_staff(&server, &a.token, &store, "A山田", "cashier", "2222").await;
        let item_body = item("Aのおにぎり", 160, "food");
        let item = add_item(&server, &a.token, &store, &item_body).await;
        let device = pair_device(&server, &a.token, &store, "Aレジ").await;

        let b = sign_up(&server, "b@example.jp").await;
        let b_store = create_store(&server, &b.token, "B店").await;
        let b_device = pair_device(&server, &b.token, &b_store, "Bレジ").await;

        let staff_body = json!({"name": "侵入者", "role": "owner", "pin": "9999"});
        let csv = "name,price,tax_class\n侵入,1,food\n";
        let requests: Vec<(Method, String, Option<Value>, Option<&str>)> = vec![
            (Method::GET, format!("/api/v1/stores/{store}"), None, None),
            (Method::PUT, format!("/api/v1/stores/{store}"), Some(shop_settings("乗っ取り")), None),
            (Method::GET, format!("/api/v1/stores/{store}/staff"), None, None),
            (Method::POST, format!("/api/v1/stores/{store}/staff"), Some(staff_body.clone()), None),
            (
                Method::PUT,
                format!("/api/v1/stores/{store}/staff/{cashier}"),
                Some(staff_body),
                None,
            ),
            (Method::DELETE, format!("/api/v1/stores/{store}/staff/{cashier}"), None, None),
            (Method::GET, format!("/api/v1/stores/{store}/items"), None, None),
            (
                Method::PUT,
                format!("/api/v1/stores/{store}/items/{item}"),
                Some(item_body.clone()),
                None,
            ),
            (Method::DELETE, format!("/api/v1/stores/{store}/items/{item}"), None, None),
            (Method::GET, format!("/api/v1/stores/{store}/items.csv"), None, None),
            (Method::POST, format!("/api/v1/stores/{store}/items.csv"), None, Some(csv)),
            (Method::POST, format!("/api/v1/stores/{store}/pairings"), None, None),
            (Method::GET, format!("/api/v1/stores/{store}/devices"), None, None),
            (
                Method::PATCH,
                format!("/api/v1/devices/{}", device.id),
                Some(json!({"name": "x"})),
                None,
            ),
            (Method::DELETE, format!("/api/v1/devices/{}", device.id), None, None),
        ];
        for (method, path, json, text) in &requests {
            let build = |token: Option<&str>| {
                let mut request = server.client.request(method.clone(), server.url(path));
                if let Some(token) = token {
                    request = request.bearer_auth(token);
                }
                match (json, text) {
                    (Some(json), _) => request.json(json),
                    (_, Some(text)) => request.body(text.to_string()),
                    _ => request,
                }
            };
            let (status, _) = answer(build(Some(&b.token))).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "owner B: {method} {path}");
            // A device token is no owner's session, whichever store it is paired with.
            for token in [b_device.token.as_str(), device.token.as_str()] {
                let (status, _) = answer(build(Some(token))).await;
                assert_eq!(status, StatusCode::UNAUTHORIZED, "a device: {method} {path}");
            }
            let (status, _) = answer(build(None)).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "nobody: {method} {path}");
        }

        // The owner's figures and sales (served by the sync side of the server): B asking for
        // A's store or one of A's sales gets nothing, and no device gets an owner's answer.
        let sale = uuid::Uuid::now_v7().to_string();
        sqlx::query(
            "INSERT INTO sale (id, store_id, device_id, seq, receipt_no, kind, original_id, at,
                 business_date, hour, staff, total, tax, discount, body)
             VALUES ($1, $2, $3, 1, 1, 'sale', NULL, '2026-11-23T01:00:00.000Z', '2026-11-23',
                 10, 'A店長', 1000, 90, 0, '{}')",
        )
        .bind(&sale)
        .bind(&store)
        .bind(&device.id)
        .execute(&server.state.db.pool)
        .await
        .unwrap();
        for path in [
            format!("/api/v1/figures?from=2026-11-01&to=2026-11-30&store={store}"),
            format!("/api/v1/sales?from=2026-11-01&to=2026-11-30&store={store}"),
            format!("/api/v1/sales/{sale}"),
        ] {
            let (status, _) = server.get_json(&path, &b.token).await;
            assert!(
                [StatusCode::NOT_FOUND, StatusCode::FORBIDDEN].contains(&status),
                "owner B: {path}: {status}"
            );
            for token in [b_device.token.as_str(), device.token.as_str()] {
                let (status, _) = server.get_json(&path, token).await;
                assert!(status.is_client_error(), "a device: {path}: {status}");
            }
        }

        // B's own lists show none of A's things, and B's device pulls only B's store.
        let (_, stores) = server.get_json("/api/v1/stores", &b.token).await;
        assert_eq!(stores.as_array().unwrap().len(), 1);
        assert_eq!(stores[0]["id"], b_store.as_str());
        let (_, changes) = server.get_json("/api/v1/changes", &b_device.token).await;
        assert_eq!(changes["shop"]["name"], "B店");
        assert_eq!((changes["items"].clone(), changes["staff"].clone()), (json!([]), json!([])));
        let (_, devices) =
            server.get_json(&format!("/api/v1/stores/{b_store}/devices"), &b.token).await;
        assert_eq!(devices.as_array().unwrap().len(), 1);

        // And A's things are as A left them.
        let (_, a_store) = server.get_json(&format!("/api/v1/stores/{store}"), &a.token).await;
        assert_eq!(a_store["settings"]["name"], "A店");
        let (_, a_staff) =
            server.get_json(&format!("/api/v1/stores/{store}/staff"), &a.token).await;
        let ids: Vec<&str> =
            a_staff.as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), 2);
        assert!(ids.contains(&staff.as_str()) && ids.contains(&cashier.as_str()));
        let (_, a_items) =
            server.get_json(&format!("/api/v1/stores/{store}/items"), &a.token).await;
        assert_eq!(a_items, json!([item_body]));
        let (_, a_devices) =
            server.get_json(&format!("/api/v1/stores/{store}/devices"), &a.token).await;
        assert_eq!(a_devices[0]["name"], "Aレジ");
        assert!(a_devices[0].get("revoked_at").is_none());
        assert_eq!(server.get_json("/api/v1/changes", &device.token).await.0, StatusCode::OK);
    }
}

#[tokio::test]
async fn the_openapi_document_and_docs_api_md_list_the_same_routes() {
    let server = start(Backend::Sqlite).await;
    let response = server.client.get(server.url("/api/openapi.json")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let document: Value = response.json().await.unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));
    let paths = document["paths"].as_object().unwrap();

    // Every `METHOD /path` written in backticks in docs/api.md, under /api/v1.
    let contract = include_str!("../../docs/api.md");
    let mut routes = Vec::new();
    for quoted in contract.split('`').skip(1).step_by(2) {
        let Some((method, path)) = quoted.split_once(' ') else { continue };
        if !["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&method) || path.starts_with("/api/")
        {
            continue;
        }
        let path = path.split('?').next().unwrap();
        routes.push((method.to_lowercase(), format!("/api/v1{path}")));
    }
    routes.sort();
    routes.dedup();
    // And every route of the generated document.
    let mut described: Vec<(String, String)> = paths
        .iter()
        .flat_map(|(path, item)| {
            item.as_object().unwrap().keys().map(move |method| (method.clone(), path.clone()))
        })
        .filter(|(method, _)| ["get", "post", "put", "patch", "delete"].contains(&method.as_str()))
        .collect();
    described.sort();
    let undocumented: Vec<_> = described.iter().filter(|r| !routes.contains(r)).collect();
    let undescribed: Vec<_> = routes.iter().filter(|r| !described.contains(r)).collect();
    assert!(undocumented.is_empty(), "not in docs/api.md: {undocumented:?}");
    assert!(undescribed.is_empty(), "in docs/api.md but not served: {undescribed:?}");
    for (method, path) in &routes {
        let operation = &paths[path][method];
        assert!(operation["responses"].is_object(), "{method} {path} has no answers");
        let secured = operation["security"].as_array().is_some_and(|s| !s.is_empty());
        let answers_401 = operation["responses"]["401"].is_object();
        assert!(!secured || answers_401, "{method} {path} needs a token but lists no 401");
    }
    let mut ids: Vec<&str> = paths
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter_map(|operation| operation["operationId"].as_str())
        .collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!((ids.len(), count), (routes.len(), routes.len()), "one unique operationId each");
    let schemas = document["components"]["schemas"].as_object().unwrap();
    for name in [
        "ErrorBody",
        "ErrorCode",
        "SignedIn",
        "Store",
        "StaffMember",
        "DeviceStatus",
        "PairingCode",
        "ShopSettings",
        "Item",
        "Pairing",
        "Changes",
        "SyncBatch",
        "OutboxEntry",
        "Sale",
        "Figures",
    ] {
        assert!(schemas.contains_key(name), "no {name} schema");
        let schema = &schemas[name];
        let shaped = ["properties", "oneOf", "enum", "allOf"].iter().any(|k| !schema[k].is_null());
        assert!(shaped, "{name} is a stub: {schema}");
    }
    for scheme in ["owner", "owner_cookie", "device"] {
        assert!(document["components"]["securitySchemes"][scheme].is_object());
    }
}
