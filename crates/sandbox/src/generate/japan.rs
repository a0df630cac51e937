//! Tables of realistic Japanese data for the generator: names, places, shops and products.

/// Common family names (kanji).
pub const FAMILY_NAMES: &[&str] = &[
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "佐々木",
    "山口",
    "松本",
    "井上",
    "木村",
    "林",
    "斎藤",
    "清水",
    "山崎",
    "森",
    "池田",
    "橋本",
    "阿部",
    "石川",
    "山下",
    "中島",
    "石井",
    "小川",
    "前田",
    "岡田",
    "長谷川",
    "藤田",
    "後藤",
    "近藤",
];

/// Common given names (kanji).
pub const GIVEN_NAMES: &[&str] = &[
    "翔太",
    "大輔",
    "健一",
    "拓也",
    "直樹",
    "和也",
    "達也",
    "誠",
    "浩二",
    "隆",
    "陽菜",
    "結衣",
    "美咲",
    "さくら",
    "愛",
    "真由美",
    "裕子",
    "恵子",
    "陽子",
    "由美",
    "明美",
    "花子",
    "太郎",
    "一郎",
    "蓮",
    "悠真",
    "湊",
    "葵",
    "凛",
    "結菜",
];

/// A place: prefecture, city/ward, a town in it and the first three postal-code digits.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    /// Prefecture (StateOrRegion).
    pub prefecture: &'static str,
    /// City or ward (City).
    pub city: &'static str,
    /// Town / district used at the start of AddressLine1.
    pub town: &'static str,
    /// First three postal-code digits.
    pub postal_prefix: &'static str,
    /// Landline area code for phone numbers.
    pub area_code: &'static str,
    /// The ShipServiceLevel region word.
    pub region: &'static str,
}

const fn p(
    prefecture: &'static str,
    city: &'static str,
    town: &'static str,
    postal_prefix: &'static str,
    area_code: &'static str,
    region: &'static str,
) -> Place {
    Place {
        prefecture,
        city,
        town,
        postal_prefix,
        area_code,
        region,
    }
}

/// Places across Japan, weighted towards the big cities by repetition.
pub const PLACES: &[Place] = &[
    p("東京都", "港区", "赤坂", "107", "03", "Kanto"),
    p("東京都", "渋谷区", "神宮前", "150", "03", "Kanto"),
    p("東京都", "世田谷区", "三軒茶屋", "154", "03", "Kanto"),
    p("東京都", "新宿区", "西新宿", "160", "03", "Kanto"),
    p("東京都", "江東区", "豊洲", "135", "03", "Kanto"),
    p("東京都", "八王子市", "旭町", "192", "042", "Kanto"),
    p("神奈川県", "横浜市中区", "山下町", "231", "045", "Kanto"),
    p("神奈川県", "川崎市中原区", "小杉町", "211", "044", "Kanto"),
    p("神奈川県", "藤沢市", "鵠沼海岸", "251", "0466", "Kanto"),
    p(
        "埼玉県",
        "さいたま市大宮区",
        "桜木町",
        "330",
        "048",
        "Kanto",
    ),
    p("千葉県", "千葉市中央区", "富士見", "260", "043", "Kanto"),
    p("千葉県", "船橋市", "本町", "273", "047", "Kanto"),
    p("大阪府", "大阪市北区", "梅田", "530", "06", "Kansai"),
    p("大阪府", "大阪市中央区", "心斎橋筋", "542", "06", "Kansai"),
    p("大阪府", "堺市堺区", "大浜北町", "590", "072", "Kansai"),
    p("京都府", "京都市中京区", "河原町", "604", "075", "Kansai"),
    p("兵庫県", "神戸市中央区", "三宮町", "650", "078", "Kansai"),
    p("愛知県", "名古屋市中区", "栄", "460", "052", "Chubu"),
    p("愛知県", "豊田市", "元城町", "471", "0565", "Chubu"),
    p("静岡県", "静岡市葵区", "紺屋町", "420", "054", "Chubu"),
    p("新潟県", "新潟市中央区", "古町通", "951", "025", "Chubu"),
    p("北海道", "札幌市中央区", "大通西", "060", "011", "Hokkaido"),
    p("宮城県", "仙台市青葉区", "一番町", "980", "022", "Tohoku"),
    p("広島県", "広島市中区", "紙屋町", "730", "082", "Chugoku"),
    p("岡山県", "岡山市北区", "駅前町", "700", "086", "Chugoku"),
    p("香川県", "高松市", "丸亀町", "760", "087", "Shikoku"),
    p("福岡県", "福岡市博多区", "博多駅前", "812", "092", "Kyushu"),
    p("福岡県", "北九州市小倉北区", "魚町", "802", "093", "Kyushu"),
    p("熊本県", "熊本市中央区", "下通", "860", "096", "Kyushu"),
    p("沖縄県", "那覇市", "久茂地", "900", "098", "Okinawa"),
];

/// Building names for AddressLine2.
pub const BUILDINGS: &[&str] = &[
    "サンシャインマンション",
    "グランドハイツ",
    "コーポ桜",
    "メゾン青葉",
    "パークハウス",
    "ライオンズマンション",
    "シティタワー",
    "レジデンス緑",
    "ハイツ富士",
    "ヴィラ港",
];

/// First halves of shop names.
pub const SHOP_PREFIXES: &[&str] = &[
    "さくら",
    "ひまわり",
    "こもれび",
    "あおぞら",
    "みなと",
    "ほしぞら",
    "やまびこ",
    "つばめ",
    "かえで",
    "すずらん",
];

/// Second halves of shop names.
pub const SHOP_SUFFIXES: &[&str] = &[
    "雑貨店",
    "商店",
    "ストア",
    "本舗",
    "工房",
    "マーケット",
    "堂",
    "屋",
];

/// A product family: title stem, SKU prefix and price range in yen.
#[derive(Debug, Clone, Copy)]
pub struct ProductKind {
    /// Japanese title stem.
    pub title: &'static str,
    /// SKU prefix.
    pub sku: &'static str,
    /// Lowest unit price in yen.
    pub min_yen: u32,
    /// Highest unit price in yen.
    pub max_yen: u32,
}

const fn k(title: &'static str, sku: &'static str, min_yen: u32, max_yen: u32) -> ProductKind {
    ProductKind {
        title,
        sku,
        min_yen,
        max_yen,
    }
}

/// Product families.
pub const PRODUCTS: &[ProductKind] = &[
    k("ステンレス製 真空断熱タンブラー 450ml", "TMB", 980, 2980),
    k("今治タオル フェイスタオル 3枚セット", "TWL", 1200, 3800),
    k("有田焼 マグカップ 和柄", "MUG", 1500, 4200),
    k("木製 カッティングボード 天然木", "CTB", 1800, 5400),
    k("国産 ひのき 石鹸置き", "SOP", 600, 1600),
    k("北海道産 昆布だし パック 30袋入", "DSH", 780, 2400),
    k("宇治抹茶 粉末 100g", "MTC", 1100, 3600),
    k("静岡県産 深蒸し煎茶 200g", "TEA", 900, 2800),
    k("南部鉄器 急須 0.65L", "KTL", 4800, 15800),
    k("手ぬぐい 日本製 綿100% 4枚組", "TNG", 1300, 3200),
    k("USB-C 充電ケーブル 1m 2本セット", "CBL", 690, 1980),
    k("ワイヤレスイヤホン Bluetooth 5.3", "EAR", 2980, 9800),
    k("モバイルバッテリー 10000mAh", "BAT", 1980, 4980),
    k("スマホスタンド アルミ 折りたたみ", "STD", 980, 2480),
    k("ノートパソコン スタンド 角度調整", "LPS", 1680, 4280),
    k("A5 ノート 方眼 5冊パック", "NTB", 480, 1280),
    k("ゲルインクボールペン 0.5mm 10本", "PEN", 550, 1500),
    k("折りたたみ傘 晴雨兼用 軽量", "UMB", 1480, 3980),
    k("保冷バッグ 大容量 20L", "CLB", 1280, 3480),
    k("ヨガマット 厚さ10mm", "YGM", 1980, 4980),
    k("ランニングソックス 3足組", "SCK", 880, 2200),
    k("除湿剤 クローゼット用 6個入", "DHM", 480, 1280),
    k("詰め替え用 ハンドソープ 1000ml", "HSP", 420, 1100),
    k("キッチンスポンジ 抗菌 10個", "SPG", 398, 980),
    k("防災 ラジオ ライト付き 手回し充電", "RAD", 2480, 6800),
    k("LED デスクライト 調光 調色", "LMP", 2980, 7980),
    k("子供用 絵本 どうぶつ", "BOK", 880, 1980),
    k("ドリップバッグ コーヒー 50袋", "COF", 1480, 3980),
    k("ペット用 おやつ ささみ 400g", "PET", 780, 2180),
    k("加湿器 卓上 USB", "HMD", 1980, 4980),
];

/// Variant words appended to product titles.
pub const VARIANTS: &[&str] = &[
    "ホワイト",
    "ブラック",
    "ネイビー",
    "グレー",
    "ベージュ",
    "レッド",
    "グリーン",
    "Sサイズ",
    "Mサイズ",
    "Lサイズ",
];
