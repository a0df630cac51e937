-- Buyer data sealed at rest (sqlite dialect). Keep in step with ../postgres/0800_sealed_buyer_data.sql.
--
-- An order's buyer data (the buyer's name and the delivery address with its phone number) is personal data that
-- Amazon's Data Protection Policy requires encrypted at rest. From now on it is stored only in `buyer_sealed`: one
-- value sealed by the application's keyring (base64 text), bound to its order by the AAD
-- `sellerlink/v1|order|<amazon order id>|buyer`, so a value copied to another order does not open.
-- `buyer_kek_id` names the master key that wraps it, so that key rotation finds the rows still on an old key.
--
-- The clear columns `buyer_name` and `shipping_address_json` stay for rows written before 0800 and are never
-- written again. The store cannot seal (it holds ciphertext only and has no keyring), so the application seals
-- those rows when it opens the store with its keyring (`Store::seal_clear_buyer_data`) and clears them; the
-- partial index lets it find the rows left in clear without reading the whole table, and is empty afterwards.
ALTER TABLE orders ADD COLUMN buyer_kek_id TEXT;
ALTER TABLE orders ADD COLUMN buyer_sealed TEXT;

CREATE INDEX orders_with_clear_buyer_data ON orders (connection_id, amazon_order_id)
    WHERE buyer_name IS NOT NULL OR shipping_address_json IS NOT NULL;
