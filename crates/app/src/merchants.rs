//! Merchants (tenants).

use sellerlink_domain::audit::{Actor, AuditAction, AuditEntry};
use sellerlink_domain::connection::{Language, Merchant, MerchantName};
use sellerlink_domain::ids::MerchantId;

use crate::error::not_found;
use crate::{App, AppError};

impl App {
    /// Registers a merchant.
    pub async fn add_merchant(
        &self,
        name: MerchantName,
        language: Language,
        actor: &Actor,
    ) -> Result<Merchant, AppError> {
        let merchant = Merchant {
            id: MerchantId::new(),
            name,
            language,
            created_at: self.now(),
        };
        let audit = AuditEntry {
            merchant_id: merchant.id,
            connection_id: None,
            actor: actor.clone(),
            action: AuditAction::MerchantCreated,
            at: merchant.created_at,
            before: None,
            after: Some(serde_json::to_value(&merchant).expect("a merchant serializes")),
        };
        self.store.insert_merchant(&merchant, &audit).await?;
        Ok(merchant)
    }

    /// All merchants, oldest first.
    pub async fn merchants(&self) -> Result<Vec<Merchant>, AppError> {
        Ok(self.store.merchants().await?)
    }

    /// Finds a merchant by id or exact name (what a person types on the command line).
    pub async fn find_merchant(&self, id_or_name: &str) -> Result<Merchant, AppError> {
        if let Ok(id) = MerchantId::parse(id_or_name) {
            return self
                .store
                .merchant(id)
                .await
                .map_err(|e| not_found(e, AppError::MerchantNotFound(id)));
        }
        let missing = || AppError::MerchantNameNotFound(id_or_name.trim().to_owned());
        let Ok(name) = MerchantName::parse(id_or_name) else {
            return Err(missing());
        };
        self.store
            .merchant_by_name(&name)
            .await?
            .ok_or_else(missing)
    }
}
