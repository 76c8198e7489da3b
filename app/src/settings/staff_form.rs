//! Staff and their PINs.

use akinai_core::name::Name;
use akinai_core::staff::{Pin, Role, Staff, check_owner_stays, check_pin};
use akinai_core::sync::Record;
use akinai_core::tax::Named;
use leptos::prelude::*;
use uuid::Uuid;

use crate::fields::{pin_field, random_salt, text_field, word_select};
use crate::state::use_app;

/// The staff list (the last owner cannot be removed) and the form that adds someone.
#[component]
pub(super) fn StaffForm() -> impl IntoView {
    let app = use_app();
    let name = RwSignal::new(String::new());
    let pin = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Cashier);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let checked = (|| -> crate::error::Result<Staff> {
            let p = Pin::parse(&pin.get_untracked())?;
            app.staff.with_untracked(|s| check_pin(s, &p, None))?;
            let person = Name::parse(&name.get_untracked(), akinai_core::Field::top("name"))?;
            let salt = random_salt()?;
            Ok(Staff::new(Uuid::now_v7(), person.as_str(), role.get_untracked(), &p, &salt)?)
        })();
        match checked {
            Err(err) => app.fail(err),
            Ok(person) => app.spawn(async move {
                app.edit(vec![Record::Staff(Box::new(person))]).await?;
                name.set(String::new());
                pin.set(String::new());
                Ok(())
            }),
        }
    };
    view! {
        <form class="staff-form" on:submit=add aria-labelledby="staff-title">
            <h2 id="staff-title">{move || app.t("settings-staff")}</h2>
            <ul>
                <For each=move || app.staff.get() key=|s| s.id let:person>
                    {
                        let id = person.id;
                        let label = format!("{} {}", app.t("staff-remove"), person.name);
                        // The last owner stays: someone must be able to reach the settings.
                        let last_owner = move || app.staff.with(|s| check_owner_stays(s, id, None).is_err());
                        view! {
                            <li>
                                {format!("{} ({})", person.name, app.t(&format!("role-{}", person.role.word())))}
                                <button type="button" aria-label=label disabled=last_owner on:click=move |_| {
                                    app.spawn(async move {
                                        app.edit(vec![Record::StaffRemoved(id)]).await
                                    });
                                }>{move || app.t("delete")}</button>
                            </li>
                        }
                    }
                </For>
            </ul>
            {text_field(app.lang, "staff-name", name)}
            {pin_field(app.lang, "pin", pin)}
            {word_select(app.lang, "role", "role", role)}
            <button type="submit">{move || app.t("staff-add")}</button>
        </form>
    }
}
