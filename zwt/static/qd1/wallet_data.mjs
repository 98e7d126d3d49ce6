// Generated from wallet/ by tests/js/export_wallet_data.py: do not edit by hand.
// tests/test_js.py checks that it matches the Python library.
export default {
 "constants": {
  "algs": {
   "ES256": -7,
   "EdDSA": -8,
   "PS256": -37
  },
  "clock_skew": 300,
  "long_term": "长期",
  "max_age": 604800,
  "max_claim_length": {
   "1": 40,
   "2": 64,
   "65535": 80,
   "7": 40
  },
  "max_decompressed": 4096,
  "max_other_claim_length": 256,
  "prefix": "QD1:",
  "presentation_context": "QD1-present",
  "presentation_version": 1,
  "presentation_window": 90,
  "typ_status_list": "application/statuslist+cwt",
  "typ_trust_bundle": "application/vnd.qd1.trust+cbor",
  "understood_headers": [
   1,
   2,
   4,
   16
  ],
  "warn_age": 86400
 },
 "license_types": [
  {
   "code": "id_card",
   "fields": [
    {
     "choices": [],
     "key": 2,
     "kind": "text",
     "label_en": "Name",
     "label_zh": "姓名",
     "max_length": 100,
     "name": "holder_name"
    },
    {
     "choices": [],
     "key": 3,
     "kind": "text",
     "label_en": "Citizen ID number",
     "label_zh": "公民身份号码",
     "max_length": 32,
     "name": "holder_code"
    },
    {
     "choices": [],
     "key": 4,
     "kind": "text",
     "label_en": "Citizen ID number",
     "label_zh": "公民身份号码",
     "max_length": 32,
     "name": "holder_code_masked"
    },
    {
     "choices": [],
     "key": 5,
     "kind": "date",
     "label_en": "Valid from",
     "label_zh": "有效期起始日期",
     "max_length": 64,
     "name": "valid_from"
    },
    {
     "choices": [],
     "key": 6,
     "kind": "date",
     "label_en": "Valid until",
     "label_zh": "有效期截止日期",
     "max_length": 64,
     "name": "valid_until"
    },
    {
     "choices": [
      "男",
      "女"
     ],
     "key": 8,
     "kind": "enum",
     "label_en": "Sex",
     "label_zh": "性别",
     "max_length": 64,
     "name": "gender"
    },
    {
     "choices": [],
     "key": 9,
     "kind": "text",
     "label_en": "Ethnic group",
     "label_zh": "民族",
     "max_length": 64,
     "name": "ethnicity"
    },
    {
     "choices": [],
     "key": 10,
     "kind": "date",
     "label_en": "Date of birth",
     "label_zh": "出生日期",
     "max_length": 64,
     "name": "birth_date"
    },
    {
     "choices": [],
     "key": 11,
     "kind": "text",
     "label_en": "Address",
     "label_zh": "住址",
     "max_length": 100,
     "name": "address"
    },
    {
     "choices": [],
     "key": 12,
     "kind": "text",
     "label_en": "Issuing authority",
     "label_zh": "签发机关",
     "max_length": 64,
     "name": "issuing_authority"
    }
   ],
   "gb_type_code": "11100000000000101B001",
   "name_en": "Resident identity card",
   "name_zh": "居民身份证",
   "number": 1,
   "profiles": {
    "full": [
     "holder_name",
     "holder_code",
     "valid_from",
     "valid_until",
     "gender",
     "ethnicity",
     "birth_date",
     "address",
     "issuing_authority"
    ],
    "minimal": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until"
    ],
    "standard": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until",
     "gender",
     "ethnicity"
    ]
   },
   "retired": {
    "standard": [
     "birth_date",
     "issuing_authority"
    ]
   }
  },
  {
   "code": "driving_license",
   "fields": [
    {
     "choices": [],
     "key": 2,
     "kind": "text",
     "label_en": "Name",
     "label_zh": "姓名",
     "max_length": 100,
     "name": "holder_name"
    },
    {
     "choices": [],
     "key": 3,
     "kind": "text",
     "label_en": "Licence number",
     "label_zh": "证号",
     "max_length": 32,
     "name": "holder_code"
    },
    {
     "choices": [],
     "key": 4,
     "kind": "text",
     "label_en": "Licence number",
     "label_zh": "证号",
     "max_length": 32,
     "name": "holder_code_masked"
    },
    {
     "choices": [],
     "key": 5,
     "kind": "date",
     "label_en": "Valid from",
     "label_zh": "有效期起始日期",
     "max_length": 64,
     "name": "valid_from"
    },
    {
     "choices": [],
     "key": 6,
     "kind": "date",
     "label_en": "Valid until",
     "label_zh": "有效期截止日期",
     "max_length": 64,
     "name": "valid_until"
    },
    {
     "choices": [
      "男",
      "女"
     ],
     "key": 8,
     "kind": "enum",
     "label_en": "Sex",
     "label_zh": "性别",
     "max_length": 64,
     "name": "gender"
    },
    {
     "choices": [],
     "key": 9,
     "kind": "text",
     "label_en": "Nationality",
     "label_zh": "国籍",
     "max_length": 64,
     "name": "nationality"
    },
    {
     "choices": [],
     "key": 10,
     "kind": "text",
     "label_en": "Address",
     "label_zh": "住址",
     "max_length": 100,
     "name": "address"
    },
    {
     "choices": [],
     "key": 11,
     "kind": "date",
     "label_en": "Date of birth",
     "label_zh": "出生日期",
     "max_length": 64,
     "name": "birth_date"
    },
    {
     "choices": [],
     "key": 12,
     "kind": "date",
     "label_en": "Date of first issue",
     "label_zh": "初次领证日期",
     "max_length": 64,
     "name": "first_issue_date"
    },
    {
     "choices": [],
     "key": 13,
     "kind": "text",
     "label_en": "Permitted vehicle classes",
     "label_zh": "准驾车型",
     "max_length": 16,
     "name": "license_class"
    },
    {
     "choices": [],
     "key": 14,
     "kind": "text",
     "label_en": "File number",
     "label_zh": "档案编号",
     "max_length": 64,
     "name": "file_number"
    },
    {
     "choices": [
      "正常",
      "逾期未换证",
      "逾期未审验",
      "累积记分达到规定分值",
      "暂扣",
      "停止使用"
     ],
     "key": 15,
     "kind": "enum",
     "label_en": "Status",
     "label_zh": "状态",
     "max_length": 64,
     "name": "record_status"
    },
    {
     "choices": [],
     "key": 16,
     "kind": "text",
     "label_en": "Penalty points",
     "label_zh": "累积记分",
     "max_length": 2,
     "name": "points"
    }
   ],
   "gb_type_code": "11100000000000101B002",
   "name_en": "Motor vehicle driving licence",
   "name_zh": "机动车驾驶证",
   "number": 2,
   "profiles": {
    "full": [
     "holder_name",
     "holder_code",
     "valid_from",
     "valid_until",
     "gender",
     "nationality",
     "address",
     "birth_date",
     "first_issue_date",
     "license_class",
     "file_number",
     "record_status",
     "points"
    ],
    "minimal": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until"
    ],
    "standard": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until",
     "gender",
     "nationality",
     "first_issue_date",
     "license_class",
     "record_status",
     "points"
    ]
   },
   "retired": {
    "standard": [
     "birth_date"
    ]
   }
  },
  {
   "code": "vehicle_license",
   "fields": [
    {
     "choices": [],
     "key": 2,
     "kind": "text",
     "label_en": "Owner",
     "label_zh": "所有人",
     "max_length": 100,
     "name": "holder_name"
    },
    {
     "choices": [],
     "key": 3,
     "kind": "text",
     "label_en": "Owner ID number",
     "label_zh": "所有人证件号码",
     "max_length": 32,
     "name": "holder_code"
    },
    {
     "choices": [],
     "key": 4,
     "kind": "text",
     "label_en": "Owner ID number",
     "label_zh": "所有人证件号码",
     "max_length": 32,
     "name": "holder_code_masked"
    },
    {
     "choices": [],
     "key": 5,
     "kind": "date",
     "label_en": "Valid from",
     "label_zh": "有效期起始日期",
     "max_length": 64,
     "name": "valid_from"
    },
    {
     "choices": [],
     "key": 6,
     "kind": "date",
     "label_en": "Valid until",
     "label_zh": "有效期截止日期",
     "max_length": 64,
     "name": "valid_until"
    },
    {
     "choices": [],
     "key": 8,
     "kind": "text",
     "label_en": "Plate number",
     "label_zh": "号牌号码",
     "max_length": 10,
     "name": "plate_number"
    },
    {
     "choices": [],
     "key": 9,
     "kind": "text",
     "label_en": "Vehicle type",
     "label_zh": "车辆类型",
     "max_length": 64,
     "name": "vehicle_type"
    },
    {
     "choices": [
      "非营运",
      "营运",
      "预约出租客运",
      "警用"
     ],
     "key": 10,
     "kind": "enum",
     "label_en": "Use",
     "label_zh": "使用性质",
     "max_length": 64,
     "name": "use_character"
    },
    {
     "choices": [],
     "key": 11,
     "kind": "text",
     "label_en": "Make and model",
     "label_zh": "品牌型号",
     "max_length": 64,
     "name": "brand_model"
    },
    {
     "choices": [],
     "key": 12,
     "kind": "text",
     "label_en": "VIN",
     "label_zh": "车辆识别代号",
     "max_length": 17,
     "name": "vin"
    },
    {
     "choices": [],
     "key": 13,
     "kind": "text",
     "label_en": "Engine number",
     "label_zh": "发动机号码",
     "max_length": 20,
     "name": "engine_number"
    },
    {
     "choices": [],
     "key": 14,
     "kind": "date",
     "label_en": "Date of registration",
     "label_zh": "注册日期",
     "max_length": 64,
     "name": "register_date"
    },
    {
     "choices": [],
     "key": 15,
     "kind": "date",
     "label_en": "Date of issue",
     "label_zh": "发证日期",
     "max_length": 64,
     "name": "issue_date"
    },
    {
     "choices": [],
     "key": 16,
     "kind": "text",
     "label_en": "Address",
     "label_zh": "住址",
     "max_length": 100,
     "name": "address"
    },
    {
     "choices": [],
     "key": 17,
     "kind": "date",
     "label_en": "Inspection valid until",
     "label_zh": "检验有效期至",
     "max_length": 64,
     "name": "inspection_until"
    }
   ],
   "gb_type_code": "11100000000000101B003",
   "name_en": "Motor vehicle registration certificate",
   "name_zh": "机动车行驶证",
   "number": 3,
   "profiles": {
    "full": [
     "holder_name",
     "holder_code",
     "valid_from",
     "valid_until",
     "plate_number",
     "vehicle_type",
     "use_character",
     "brand_model",
     "vin",
     "engine_number",
     "register_date",
     "issue_date",
     "address",
     "inspection_until"
    ],
    "minimal": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until"
    ],
    "standard": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until",
     "plate_number",
     "vehicle_type",
     "use_character",
     "brand_model",
     "register_date",
     "issue_date",
     "inspection_until"
    ]
   },
   "retired": {
    "standard": []
   }
  },
  {
   "code": "social_security_card",
   "fields": [
    {
     "choices": [],
     "key": 2,
     "kind": "text",
     "label_en": "Name",
     "label_zh": "姓名",
     "max_length": 100,
     "name": "holder_name"
    },
    {
     "choices": [],
     "key": 3,
     "kind": "text",
     "label_en": "Social security number",
     "label_zh": "社会保障号码",
     "max_length": 32,
     "name": "holder_code"
    },
    {
     "choices": [],
     "key": 4,
     "kind": "text",
     "label_en": "Social security number",
     "label_zh": "社会保障号码",
     "max_length": 32,
     "name": "holder_code_masked"
    },
    {
     "choices": [],
     "key": 5,
     "kind": "date",
     "label_en": "Valid from",
     "label_zh": "有效期起始日期",
     "max_length": 64,
     "name": "valid_from"
    },
    {
     "choices": [],
     "key": 6,
     "kind": "date",
     "label_en": "Valid until",
     "label_zh": "有效期截止日期",
     "max_length": 64,
     "name": "valid_until"
    },
    {
     "choices": [],
     "key": 8,
     "kind": "text",
     "label_en": "Card number",
     "label_zh": "社会保障卡卡号",
     "max_length": 64,
     "name": "card_number"
    },
    {
     "choices": [],
     "key": 9,
     "kind": "date",
     "label_en": "Date of issue",
     "label_zh": "发证日期",
     "max_length": 64,
     "name": "issue_date"
    },
    {
     "choices": [],
     "key": 10,
     "kind": "text",
     "label_en": "Place of issue",
     "label_zh": "发卡地",
     "max_length": 64,
     "name": "issue_place"
    },
    {
     "choices": [],
     "key": 11,
     "kind": "text",
     "label_en": "Bank",
     "label_zh": "金融账户开户行",
     "max_length": 64,
     "name": "bank_name"
    }
   ],
   "gb_type_code": "111000000000002011001",
   "name_en": "Social security card",
   "name_zh": "社会保障卡",
   "number": 4,
   "profiles": {
    "full": [
     "holder_name",
     "holder_code",
     "valid_from",
     "valid_until",
     "card_number",
     "issue_date",
     "issue_place",
     "bank_name"
    ],
    "minimal": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until"
    ],
    "standard": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until",
     "issue_date",
     "issue_place",
     "bank_name"
    ]
   },
   "retired": {
    "standard": []
   }
  },
  {
   "code": "housing_fund_certificate",
   "fields": [
    {
     "choices": [],
     "key": 2,
     "kind": "text",
     "label_en": "Name",
     "label_zh": "姓名",
     "max_length": 100,
     "name": "holder_name"
    },
    {
     "choices": [],
     "key": 3,
     "kind": "text",
     "label_en": "Citizen ID number",
     "label_zh": "公民身份号码",
     "max_length": 32,
     "name": "holder_code"
    },
    {
     "choices": [],
     "key": 4,
     "kind": "text",
     "label_en": "Citizen ID number",
     "label_zh": "公民身份号码",
     "max_length": 32,
     "name": "holder_code_masked"
    },
    {
     "choices": [],
     "key": 5,
     "kind": "date",
     "label_en": "Valid from",
     "label_zh": "有效期起始日期",
     "max_length": 64,
     "name": "valid_from"
    },
    {
     "choices": [],
     "key": 6,
     "kind": "date",
     "label_en": "Valid until",
     "label_zh": "有效期截止日期",
     "max_length": 64,
     "name": "valid_until"
    },
    {
     "choices": [],
     "key": 8,
     "kind": "text",
     "label_en": "Account number",
     "label_zh": "个人账号",
     "max_length": 64,
     "name": "account_number"
    },
    {
     "choices": [],
     "key": 9,
     "kind": "text",
     "label_en": "Employer",
     "label_zh": "单位名称",
     "max_length": 100,
     "name": "employer"
    },
    {
     "choices": [
      "正常缴存",
      "封存",
      "销户"
     ],
     "key": 10,
     "kind": "enum",
     "label_en": "Deposit status",
     "label_zh": "缴存状态",
     "max_length": 64,
     "name": "deposit_status"
    },
    {
     "choices": [],
     "key": 11,
     "kind": "date",
     "label_en": "Account opened",
     "label_zh": "开户日期",
     "max_length": 64,
     "name": "open_date"
    },
    {
     "choices": [],
     "key": 12,
     "kind": "text",
     "label_en": "Paid up to",
     "label_zh": "缴至年月",
     "max_length": 7,
     "name": "paid_until"
    },
    {
     "choices": [],
     "key": 13,
     "kind": "text",
     "label_en": "Monthly deposit",
     "label_zh": "月缴存额",
     "max_length": 64,
     "name": "monthly_deposit"
    },
    {
     "choices": [],
     "key": 14,
     "kind": "text",
     "label_en": "Balance",
     "label_zh": "账户余额",
     "max_length": 64,
     "name": "balance"
    }
   ],
   "gb_type_code": "11100000000000301N001",
   "name_en": "Housing provident fund deposit certificate",
   "name_zh": "住房公积金缴存证明",
   "number": 5,
   "profiles": {
    "full": [
     "holder_name",
     "holder_code",
     "valid_from",
     "valid_until",
     "account_number",
     "employer",
     "deposit_status",
     "open_date",
     "paid_until",
     "monthly_deposit",
     "balance"
    ],
    "minimal": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until"
    ],
    "standard": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until",
     "employer",
     "deposit_status",
     "open_date",
     "paid_until"
    ]
   },
   "retired": {
    "standard": []
   }
  },
  {
   "code": "business_license",
   "fields": [
    {
     "choices": [],
     "key": 2,
     "kind": "text",
     "label_en": "Name",
     "label_zh": "名称",
     "max_length": 100,
     "name": "holder_name"
    },
    {
     "choices": [],
     "key": 3,
     "kind": "text",
     "label_en": "Unified social credit code",
     "label_zh": "统一社会信用代码",
     "max_length": 32,
     "name": "holder_code"
    },
    {
     "choices": [],
     "key": 4,
     "kind": "text",
     "label_en": "Unified social credit code",
     "label_zh": "统一社会信用代码",
     "max_length": 32,
     "name": "holder_code_masked"
    },
    {
     "choices": [],
     "key": 5,
     "kind": "date",
     "label_en": "Valid from",
     "label_zh": "有效期起始日期",
     "max_length": 64,
     "name": "valid_from"
    },
    {
     "choices": [],
     "key": 6,
     "kind": "date",
     "label_en": "Valid until",
     "label_zh": "有效期截止日期",
     "max_length": 64,
     "name": "valid_until"
    },
    {
     "choices": [],
     "key": 8,
     "kind": "text",
     "label_en": "Entity type",
     "label_zh": "类型",
     "max_length": 64,
     "name": "entity_type"
    },
    {
     "choices": [],
     "key": 9,
     "kind": "text",
     "label_en": "Legal representative",
     "label_zh": "法定代表人",
     "max_length": 64,
     "name": "legal_representative"
    },
    {
     "choices": [],
     "key": 10,
     "kind": "text",
     "label_en": "Registered capital",
     "label_zh": "注册资本",
     "max_length": 64,
     "name": "registered_capital"
    },
    {
     "choices": [],
     "key": 11,
     "kind": "date",
     "label_en": "Date of establishment",
     "label_zh": "成立日期",
     "max_length": 64,
     "name": "established_date"
    },
    {
     "choices": [],
     "key": 12,
     "kind": "text",
     "label_en": "Domicile",
     "label_zh": "住所",
     "max_length": 100,
     "name": "domicile"
    },
    {
     "choices": [],
     "key": 13,
     "kind": "text",
     "label_en": "Business scope",
     "label_zh": "经营范围",
     "max_length": 300,
     "name": "business_scope"
    },
    {
     "choices": [],
     "key": 14,
     "kind": "text",
     "label_en": "Registration authority",
     "label_zh": "登记机关",
     "max_length": 64,
     "name": "registration_authority"
    }
   ],
   "gb_type_code": "11100000000000401C001",
   "name_en": "Business licence",
   "name_zh": "营业执照",
   "number": 6,
   "profiles": {
    "full": [
     "holder_name",
     "holder_code",
     "valid_from",
     "valid_until",
     "entity_type",
     "legal_representative",
     "registered_capital",
     "established_date",
     "domicile",
     "business_scope",
     "registration_authority"
    ],
    "minimal": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until"
    ],
    "standard": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until",
     "entity_type",
     "legal_representative",
     "registered_capital",
     "established_date",
     "domicile",
     "business_scope",
     "registration_authority"
    ]
   },
   "retired": {
    "standard": []
   }
  },
  {
   "code": "household_register",
   "fields": [
    {
     "choices": [],
     "key": 2,
     "kind": "text",
     "label_en": "Name",
     "label_zh": "姓名",
     "max_length": 100,
     "name": "holder_name"
    },
    {
     "choices": [],
     "key": 3,
     "kind": "text",
     "label_en": "Citizen ID number",
     "label_zh": "公民身份号码",
     "max_length": 32,
     "name": "holder_code"
    },
    {
     "choices": [],
     "key": 4,
     "kind": "text",
     "label_en": "Citizen ID number",
     "label_zh": "公民身份号码",
     "max_length": 32,
     "name": "holder_code_masked"
    },
    {
     "choices": [],
     "key": 5,
     "kind": "date",
     "label_en": "Valid from",
     "label_zh": "有效期起始日期",
     "max_length": 64,
     "name": "valid_from"
    },
    {
     "choices": [],
     "key": 6,
     "kind": "date",
     "label_en": "Valid until",
     "label_zh": "有效期截止日期",
     "max_length": 64,
     "name": "valid_until"
    },
    {
     "choices": [],
     "key": 8,
     "kind": "text",
     "label_en": "Household number",
     "label_zh": "户号",
     "max_length": 64,
     "name": "household_number"
    },
    {
     "choices": [
      "家庭户",
      "集体户"
     ],
     "key": 9,
     "kind": "enum",
     "label_en": "Household type",
     "label_zh": "户别",
     "max_length": 64,
     "name": "household_type"
    },
    {
     "choices": [],
     "key": 10,
     "kind": "text",
     "label_en": "Head of household",
     "label_zh": "户主姓名",
     "max_length": 64,
     "name": "head_name"
    },
    {
     "choices": [],
     "key": 11,
     "kind": "text",
     "label_en": "Relation to head",
     "label_zh": "与户主关系",
     "max_length": 64,
     "name": "relation"
    },
    {
     "choices": [
      "男",
      "女"
     ],
     "key": 12,
     "kind": "enum",
     "label_en": "Sex",
     "label_zh": "性别",
     "max_length": 64,
     "name": "gender"
    },
    {
     "choices": [],
     "key": 13,
     "kind": "text",
     "label_en": "Ethnic group",
     "label_zh": "民族",
     "max_length": 64,
     "name": "ethnicity"
    },
    {
     "choices": [],
     "key": 14,
     "kind": "date",
     "label_en": "Date of birth",
     "label_zh": "出生日期",
     "max_length": 64,
     "name": "birth_date"
    },
    {
     "choices": [],
     "key": 15,
     "kind": "text",
     "label_en": "Place of birth",
     "label_zh": "出生地",
     "max_length": 64,
     "name": "birthplace"
    },
    {
     "choices": [],
     "key": 16,
     "kind": "text",
     "label_en": "Native place",
     "label_zh": "籍贯",
     "max_length": 64,
     "name": "native_place"
    },
    {
     "choices": [],
     "key": 17,
     "kind": "text",
     "label_en": "Address",
     "label_zh": "住址",
     "max_length": 100,
     "name": "address"
    }
   ],
   "gb_type_code": "11100000000000101B004",
   "name_en": "Household register",
   "name_zh": "居民户口簿",
   "number": 7,
   "profiles": {
    "full": [
     "holder_name",
     "holder_code",
     "valid_from",
     "valid_until",
     "household_number",
     "household_type",
     "head_name",
     "relation",
     "gender",
     "ethnicity",
     "birth_date",
     "birthplace",
     "native_place",
     "address"
    ],
    "minimal": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until"
    ],
    "standard": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until",
     "household_type",
     "head_name",
     "relation",
     "gender",
     "ethnicity",
     "birthplace",
     "native_place"
    ]
   },
   "retired": {
    "standard": [
     "birth_date"
    ]
   }
  },
  {
   "code": "marriage_certificate",
   "fields": [
    {
     "choices": [],
     "key": 2,
     "kind": "text",
     "label_en": "Name",
     "label_zh": "姓名",
     "max_length": 100,
     "name": "holder_name"
    },
    {
     "choices": [],
     "key": 3,
     "kind": "text",
     "label_en": "Citizen ID number",
     "label_zh": "公民身份号码",
     "max_length": 32,
     "name": "holder_code"
    },
    {
     "choices": [],
     "key": 4,
     "kind": "text",
     "label_en": "Citizen ID number",
     "label_zh": "公民身份号码",
     "max_length": 32,
     "name": "holder_code_masked"
    },
    {
     "choices": [],
     "key": 5,
     "kind": "date",
     "label_en": "Valid from",
     "label_zh": "有效期起始日期",
     "max_length": 64,
     "name": "valid_from"
    },
    {
     "choices": [],
     "key": 6,
     "kind": "date",
     "label_en": "Valid until",
     "label_zh": "有效期截止日期",
     "max_length": 64,
     "name": "valid_until"
    },
    {
     "choices": [],
     "key": 8,
     "kind": "text",
     "label_en": "Certificate number",
     "label_zh": "结婚证字号",
     "max_length": 24,
     "name": "certificate_number"
    },
    {
     "choices": [],
     "key": 9,
     "kind": "date",
     "label_en": "Date of registration",
     "label_zh": "登记日期",
     "max_length": 64,
     "name": "registration_date"
    },
    {
     "choices": [],
     "key": 10,
     "kind": "text",
     "label_en": "Spouse",
     "label_zh": "配偶姓名",
     "max_length": 64,
     "name": "spouse_name"
    },
    {
     "choices": [],
     "key": 11,
     "kind": "text",
     "label_en": "Spouse ID number",
     "label_zh": "配偶身份证件号",
     "max_length": 32,
     "name": "spouse_code"
    },
    {
     "choices": [],
     "key": 12,
     "kind": "text",
     "label_en": "Registration authority",
     "label_zh": "登记机关",
     "max_length": 64,
     "name": "registration_authority"
    }
   ],
   "gb_type_code": "111000000000005012001",
   "name_en": "Marriage certificate",
   "name_zh": "结婚证",
   "number": 8,
   "profiles": {
    "full": [
     "holder_name",
     "holder_code",
     "valid_from",
     "valid_until",
     "certificate_number",
     "registration_date",
     "spouse_name",
     "spouse_code",
     "registration_authority"
    ],
    "minimal": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until"
    ],
    "standard": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until",
     "registration_date",
     "spouse_name"
    ]
   },
   "retired": {
    "standard": [
     "certificate_number",
     "registration_authority"
    ]
   }
  },
  {
   "code": "divorce_certificate",
   "fields": [
    {
     "choices": [],
     "key": 2,
     "kind": "text",
     "label_en": "Name",
     "label_zh": "姓名",
     "max_length": 100,
     "name": "holder_name"
    },
    {
     "choices": [],
     "key": 3,
     "kind": "text",
     "label_en": "Citizen ID number",
     "label_zh": "公民身份号码",
     "max_length": 32,
     "name": "holder_code"
    },
    {
     "choices": [],
     "key": 4,
     "kind": "text",
     "label_en": "Citizen ID number",
     "label_zh": "公民身份号码",
     "max_length": 32,
     "name": "holder_code_masked"
    },
    {
     "choices": [],
     "key": 5,
     "kind": "date",
     "label_en": "Valid from",
     "label_zh": "有效期起始日期",
     "max_length": 64,
     "name": "valid_from"
    },
    {
     "choices": [],
     "key": 6,
     "kind": "date",
     "label_en": "Valid until",
     "label_zh": "有效期截止日期",
     "max_length": 64,
     "name": "valid_until"
    },
    {
     "choices": [],
     "key": 8,
     "kind": "text",
     "label_en": "Certificate number",
     "label_zh": "离婚证字号",
     "max_length": 24,
     "name": "certificate_number"
    },
    {
     "choices": [],
     "key": 9,
     "kind": "date",
     "label_en": "Date of registration",
     "label_zh": "登记日期",
     "max_length": 64,
     "name": "registration_date"
    },
    {
     "choices": [],
     "key": 10,
     "kind": "text",
     "label_en": "Former spouse",
     "label_zh": "原配偶姓名",
     "max_length": 64,
     "name": "former_spouse_name"
    },
    {
     "choices": [],
     "key": 11,
     "kind": "text",
     "label_en": "Former spouse ID number",
     "label_zh": "原配偶身份证件号",
     "max_length": 32,
     "name": "former_spouse_code"
    },
    {
     "choices": [],
     "key": 12,
     "kind": "text",
     "label_en": "Registration authority",
     "label_zh": "登记机关",
     "max_length": 64,
     "name": "registration_authority"
    }
   ],
   "gb_type_code": "111000000000005012002",
   "name_en": "Divorce certificate",
   "name_zh": "离婚证",
   "number": 9,
   "profiles": {
    "full": [
     "holder_name",
     "holder_code",
     "valid_from",
     "valid_until",
     "certificate_number",
     "registration_date",
     "former_spouse_name",
     "former_spouse_code",
     "registration_authority"
    ],
    "minimal": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until"
    ],
    "standard": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until",
     "registration_date",
     "former_spouse_name"
    ]
   },
   "retired": {
    "standard": [
     "certificate_number",
     "registration_authority"
    ]
   }
  },
  {
   "code": "birth_certificate",
   "fields": [
    {
     "choices": [],
     "key": 2,
     "kind": "text",
     "label_en": "Newborn",
     "label_zh": "新生儿姓名",
     "max_length": 100,
     "name": "holder_name"
    },
    {
     "choices": [],
     "key": 3,
     "kind": "text",
     "label_en": "Certificate number",
     "label_zh": "出生医学证明编号",
     "max_length": 32,
     "name": "holder_code"
    },
    {
     "choices": [],
     "key": 4,
     "kind": "text",
     "label_en": "Certificate number",
     "label_zh": "出生医学证明编号",
     "max_length": 32,
     "name": "holder_code_masked"
    },
    {
     "choices": [],
     "key": 5,
     "kind": "date",
     "label_en": "Valid from",
     "label_zh": "有效期起始日期",
     "max_length": 64,
     "name": "valid_from"
    },
    {
     "choices": [],
     "key": 6,
     "kind": "date",
     "label_en": "Valid until",
     "label_zh": "有效期截止日期",
     "max_length": 64,
     "name": "valid_until"
    },
    {
     "choices": [
      "男",
      "女"
     ],
     "key": 8,
     "kind": "enum",
     "label_en": "Sex",
     "label_zh": "性别",
     "max_length": 64,
     "name": "gender"
    },
    {
     "choices": [],
     "key": 9,
     "kind": "text",
     "label_en": "Time of birth",
     "label_zh": "出生时间",
     "max_length": 20,
     "name": "birth_time"
    },
    {
     "choices": [],
     "key": 10,
     "kind": "text",
     "label_en": "Place of birth",
     "label_zh": "出生地点",
     "max_length": 64,
     "name": "birthplace"
    },
    {
     "choices": [],
     "key": 11,
     "kind": "text",
     "label_en": "Gestational weeks",
     "label_zh": "出生孕周",
     "max_length": 4,
     "name": "gestational_weeks"
    },
    {
     "choices": [],
     "key": 12,
     "kind": "text",
     "label_en": "Mother",
     "label_zh": "母亲姓名",
     "max_length": 64,
     "name": "mother_name"
    },
    {
     "choices": [],
     "key": 13,
     "kind": "text",
     "label_en": "Mother ID number",
     "label_zh": "母亲有效身份证件号码",
     "max_length": 32,
     "name": "mother_code"
    },
    {
     "choices": [],
     "key": 14,
     "kind": "text",
     "label_en": "Father",
     "label_zh": "父亲姓名",
     "max_length": 64,
     "name": "father_name"
    },
    {
     "choices": [],
     "key": 15,
     "kind": "text",
     "label_en": "Father ID number",
     "label_zh": "父亲有效身份证件号码",
     "max_length": 32,
     "name": "father_code"
    },
    {
     "choices": [],
     "key": 16,
     "kind": "text",
     "label_en": "Delivery institution",
     "label_zh": "接生机构名称",
     "max_length": 64,
     "name": "institution"
    }
   ],
   "gb_type_code": "11100000000000601P001",
   "name_en": "Medical certificate of birth",
   "name_zh": "出生医学证明",
   "number": 10,
   "profiles": {
    "full": [
     "holder_name",
     "holder_code",
     "valid_from",
     "valid_until",
     "gender",
     "birth_time",
     "birthplace",
     "gestational_weeks",
     "mother_name",
     "mother_code",
     "father_name",
     "father_code",
     "institution"
    ],
    "minimal": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until"
    ],
    "standard": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until",
     "gender",
     "birth_time",
     "birthplace",
     "gestational_weeks",
     "mother_name",
     "father_name",
     "institution"
    ]
   },
   "retired": {
    "standard": []
   }
  },
  {
   "code": "disability_certificate",
   "fields": [
    {
     "choices": [],
     "key": 2,
     "kind": "text",
     "label_en": "Name",
     "label_zh": "姓名",
     "max_length": 100,
     "name": "holder_name"
    },
    {
     "choices": [],
     "key": 3,
     "kind": "text",
     "label_en": "Citizen ID number",
     "label_zh": "公民身份号码",
     "max_length": 32,
     "name": "holder_code"
    },
    {
     "choices": [],
     "key": 4,
     "kind": "text",
     "label_en": "Citizen ID number",
     "label_zh": "公民身份号码",
     "max_length": 32,
     "name": "holder_code_masked"
    },
    {
     "choices": [],
     "key": 5,
     "kind": "date",
     "label_en": "Valid from",
     "label_zh": "有效期起始日期",
     "max_length": 64,
     "name": "valid_from"
    },
    {
     "choices": [],
     "key": 6,
     "kind": "date",
     "label_en": "Valid until",
     "label_zh": "有效期截止日期",
     "max_length": 64,
     "name": "valid_until"
    },
    {
     "choices": [],
     "key": 8,
     "kind": "text",
     "label_en": "Certificate number",
     "label_zh": "残疾人证号",
     "max_length": 20,
     "name": "certificate_number"
    },
    {
     "choices": [
      "男",
      "女"
     ],
     "key": 9,
     "kind": "enum",
     "label_en": "Sex",
     "label_zh": "性别",
     "max_length": 64,
     "name": "gender"
    },
    {
     "choices": [
      "视力",
      "听力",
      "言语",
      "肢体",
      "智力",
      "精神",
      "多重"
     ],
     "key": 10,
     "kind": "enum",
     "label_en": "Category",
     "label_zh": "残疾类别",
     "max_length": 64,
     "name": "disability_category"
    },
    {
     "choices": [
      "一级",
      "二级",
      "三级",
      "四级"
     ],
     "key": 11,
     "kind": "enum",
     "label_en": "Grade",
     "label_zh": "残疾等级",
     "max_length": 64,
     "name": "disability_grade"
    },
    {
     "choices": [],
     "key": 12,
     "kind": "text",
     "label_en": "Guardian",
     "label_zh": "监护人",
     "max_length": 64,
     "name": "guardian_name"
    },
    {
     "choices": [],
     "key": 13,
     "kind": "text",
     "label_en": "Address",
     "label_zh": "住址",
     "max_length": 100,
     "name": "address"
    },
    {
     "choices": [],
     "key": 14,
     "kind": "date",
     "label_en": "Date of issue",
     "label_zh": "发证日期",
     "max_length": 64,
     "name": "issue_date"
    }
   ],
   "gb_type_code": "11100000000000902U001",
   "name_en": "Disability certificate",
   "name_zh": "残疾人证",
   "number": 11,
   "profiles": {
    "full": [
     "holder_name",
     "holder_code",
     "valid_from",
     "valid_until",
     "certificate_number",
     "gender",
     "disability_category",
     "disability_grade",
     "guardian_name",
     "address",
     "issue_date"
    ],
    "minimal": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until"
    ],
    "standard": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until",
     "gender",
     "guardian_name",
     "issue_date"
    ]
   },
   "retired": {
    "standard": []
   }
  },
  {
   "code": "real_estate_certificate",
   "fields": [
    {
     "choices": [],
     "key": 2,
     "kind": "text",
     "label_en": "Right holder",
     "label_zh": "权利人",
     "max_length": 100,
     "name": "holder_name"
    },
    {
     "choices": [],
     "key": 3,
     "kind": "text",
     "label_en": "ID number",
     "label_zh": "证件号码",
     "max_length": 32,
     "name": "holder_code"
    },
    {
     "choices": [],
     "key": 4,
     "kind": "text",
     "label_en": "ID number",
     "label_zh": "证件号码",
     "max_length": 32,
     "name": "holder_code_masked"
    },
    {
     "choices": [],
     "key": 5,
     "kind": "date",
     "label_en": "Valid from",
     "label_zh": "有效期起始日期",
     "max_length": 64,
     "name": "valid_from"
    },
    {
     "choices": [],
     "key": 6,
     "kind": "date",
     "label_en": "Valid until",
     "label_zh": "有效期截止日期",
     "max_length": 64,
     "name": "valid_until"
    },
    {
     "choices": [],
     "key": 8,
     "kind": "text",
     "label_en": "Certificate number",
     "label_zh": "不动产权证号",
     "max_length": 40,
     "name": "certificate_number"
    },
    {
     "choices": [
      "单独所有",
      "共同共有",
      "按份共有"
     ],
     "key": 9,
     "kind": "enum",
     "label_en": "Co-ownership",
     "label_zh": "共有情况",
     "max_length": 64,
     "name": "co_ownership"
    },
    {
     "choices": [],
     "key": 10,
     "kind": "text",
     "label_en": "Location",
     "label_zh": "坐落",
     "max_length": 100,
     "name": "location"
    },
    {
     "choices": [],
     "key": 11,
     "kind": "text",
     "label_en": "Unit number",
     "label_zh": "不动产单元号",
     "max_length": 28,
     "name": "unit_number"
    },
    {
     "choices": [],
     "key": 12,
     "kind": "text",
     "label_en": "Right type",
     "label_zh": "权利类型",
     "max_length": 64,
     "name": "right_type"
    },
    {
     "choices": [],
     "key": 13,
     "kind": "text",
     "label_en": "Right nature",
     "label_zh": "权利性质",
     "max_length": 64,
     "name": "right_nature"
    },
    {
     "choices": [],
     "key": 14,
     "kind": "text",
     "label_en": "Use",
     "label_zh": "用途",
     "max_length": 64,
     "name": "use"
    },
    {
     "choices": [],
     "key": 15,
     "kind": "text",
     "label_en": "Area",
     "label_zh": "面积",
     "max_length": 64,
     "name": "area"
    },
    {
     "choices": [],
     "key": 16,
     "kind": "text",
     "label_en": "Term of use",
     "label_zh": "使用期限",
     "max_length": 64,
     "name": "land_use_term"
    }
   ],
   "gb_type_code": "11100000000000701D001",
   "name_en": "Real estate title certificate",
   "name_zh": "不动产权证书",
   "number": 12,
   "profiles": {
    "full": [
     "holder_name",
     "holder_code",
     "valid_from",
     "valid_until",
     "certificate_number",
     "co_ownership",
     "location",
     "unit_number",
     "right_type",
     "right_nature",
     "use",
     "area",
     "land_use_term"
    ],
    "minimal": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until"
    ],
    "standard": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until",
     "certificate_number",
     "co_ownership",
     "right_type",
     "right_nature",
     "use",
     "land_use_term"
    ]
   },
   "retired": {
    "standard": []
   }
  },
  {
   "code": "residence_permit",
   "fields": [
    {
     "choices": [],
     "key": 2,
     "kind": "text",
     "label_en": "Name",
     "label_zh": "姓名",
     "max_length": 100,
     "name": "holder_name"
    },
    {
     "choices": [],
     "key": 3,
     "kind": "text",
     "label_en": "Citizen ID number",
     "label_zh": "公民身份号码",
     "max_length": 32,
     "name": "holder_code"
    },
    {
     "choices": [],
     "key": 4,
     "kind": "text",
     "label_en": "Citizen ID number",
     "label_zh": "公民身份号码",
     "max_length": 32,
     "name": "holder_code_masked"
    },
    {
     "choices": [],
     "key": 5,
     "kind": "date",
     "label_en": "Valid from",
     "label_zh": "有效期起始日期",
     "max_length": 64,
     "name": "valid_from"
    },
    {
     "choices": [],
     "key": 6,
     "kind": "date",
     "label_en": "Valid until",
     "label_zh": "有效期截止日期",
     "max_length": 64,
     "name": "valid_until"
    },
    {
     "choices": [
      "男",
      "女"
     ],
     "key": 8,
     "kind": "enum",
     "label_en": "Sex",
     "label_zh": "性别",
     "max_length": 64,
     "name": "gender"
    },
    {
     "choices": [],
     "key": 9,
     "kind": "text",
     "label_en": "Ethnic group",
     "label_zh": "民族",
     "max_length": 64,
     "name": "ethnicity"
    },
    {
     "choices": [],
     "key": 10,
     "kind": "date",
     "label_en": "Date of birth",
     "label_zh": "出生日期",
     "max_length": 64,
     "name": "birth_date"
    },
    {
     "choices": [],
     "key": 11,
     "kind": "text",
     "label_en": "Address",
     "label_zh": "住址",
     "max_length": 100,
     "name": "address"
    },
    {
     "choices": [],
     "key": 12,
     "kind": "text",
     "label_en": "Issuing authority",
     "label_zh": "签发机关",
     "max_length": 64,
     "name": "issuing_authority"
    }
   ],
   "gb_type_code": "11100000000000101B005",
   "name_en": "Residence permit",
   "name_zh": "居住证",
   "number": 13,
   "profiles": {
    "full": [
     "holder_name",
     "holder_code",
     "valid_from",
     "valid_until",
     "gender",
     "ethnicity",
     "birth_date",
     "address",
     "issuing_authority"
    ],
    "minimal": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until"
    ],
    "standard": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until",
     "gender",
     "ethnicity"
    ]
   },
   "retired": {
    "standard": [
     "birth_date",
     "issuing_authority"
    ]
   }
  },
  {
   "code": "exit_entry_permit",
   "fields": [
    {
     "choices": [],
     "key": 2,
     "kind": "text",
     "label_en": "Name",
     "label_zh": "姓名",
     "max_length": 100,
     "name": "holder_name"
    },
    {
     "choices": [],
     "key": 3,
     "kind": "text",
     "label_en": "Citizen ID number",
     "label_zh": "公民身份号码",
     "max_length": 32,
     "name": "holder_code"
    },
    {
     "choices": [],
     "key": 4,
     "kind": "text",
     "label_en": "Citizen ID number",
     "label_zh": "公民身份号码",
     "max_length": 32,
     "name": "holder_code_masked"
    },
    {
     "choices": [],
     "key": 5,
     "kind": "date",
     "label_en": "Valid from",
     "label_zh": "有效期起始日期",
     "max_length": 64,
     "name": "valid_from"
    },
    {
     "choices": [],
     "key": 6,
     "kind": "date",
     "label_en": "Valid until",
     "label_zh": "有效期截止日期",
     "max_length": 64,
     "name": "valid_until"
    },
    {
     "choices": [],
     "key": 8,
     "kind": "text",
     "label_en": "Permit number",
     "label_zh": "证件号码",
     "max_length": 12,
     "name": "permit_number"
    },
    {
     "choices": [
      "男",
      "女"
     ],
     "key": 9,
     "kind": "enum",
     "label_en": "Sex",
     "label_zh": "性别",
     "max_length": 64,
     "name": "gender"
    },
    {
     "choices": [],
     "key": 10,
     "kind": "date",
     "label_en": "Date of birth",
     "label_zh": "出生日期",
     "max_length": 64,
     "name": "birth_date"
    },
    {
     "choices": [],
     "key": 11,
     "kind": "text",
     "label_en": "Place of birth",
     "label_zh": "出生地点",
     "max_length": 64,
     "name": "birthplace"
    },
    {
     "choices": [],
     "key": 12,
     "kind": "text",
     "label_en": "Place of issue",
     "label_zh": "签发地点",
     "max_length": 64,
     "name": "issue_place"
    },
    {
     "choices": [],
     "key": 13,
     "kind": "text",
     "label_en": "Issuing authority",
     "label_zh": "签发机关",
     "max_length": 64,
     "name": "issuing_authority"
    }
   ],
   "gb_type_code": "11100000000000102E001",
   "name_en": "Exit-entry permit to Hong Kong and Macao",
   "name_zh": "往来港澳通行证",
   "number": 14,
   "profiles": {
    "full": [
     "holder_name",
     "holder_code",
     "valid_from",
     "valid_until",
     "permit_number",
     "gender",
     "birth_date",
     "birthplace",
     "issue_place",
     "issuing_authority"
    ],
    "minimal": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until"
    ],
    "standard": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until",
     "gender",
     "birthplace",
     "issue_place",
     "issuing_authority"
    ]
   },
   "retired": {
    "standard": [
     "birth_date"
    ]
   }
  },
  {
   "code": "medical_insurance_voucher",
   "fields": [
    {
     "choices": [],
     "key": 2,
     "kind": "text",
     "label_en": "Name",
     "label_zh": "姓名",
     "max_length": 100,
     "name": "holder_name"
    },
    {
     "choices": [],
     "key": 3,
     "kind": "text",
     "label_en": "Citizen ID number",
     "label_zh": "公民身份号码",
     "max_length": 32,
     "name": "holder_code"
    },
    {
     "choices": [],
     "key": 4,
     "kind": "text",
     "label_en": "Citizen ID number",
     "label_zh": "公民身份号码",
     "max_length": 32,
     "name": "holder_code_masked"
    },
    {
     "choices": [],
     "key": 5,
     "kind": "date",
     "label_en": "Valid from",
     "label_zh": "有效期起始日期",
     "max_length": 64,
     "name": "valid_from"
    },
    {
     "choices": [],
     "key": 6,
     "kind": "date",
     "label_en": "Valid until",
     "label_zh": "有效期截止日期",
     "max_length": 64,
     "name": "valid_until"
    },
    {
     "choices": [],
     "key": 8,
     "kind": "text",
     "label_en": "Insured in",
     "label_zh": "参保地",
     "max_length": 64,
     "name": "insured_area"
    },
    {
     "choices": [
      "职工基本医疗保险",
      "城乡居民基本医疗保险"
     ],
     "key": 9,
     "kind": "enum",
     "label_en": "Insurance type",
     "label_zh": "险种类型",
     "max_length": 64,
     "name": "insurance_type"
    },
    {
     "choices": [
      "正常参保",
      "暂停参保",
      "终止参保"
     ],
     "key": 10,
     "kind": "enum",
     "label_en": "Status",
     "label_zh": "参保状态",
     "max_length": 64,
     "name": "insured_status"
    },
    {
     "choices": [],
     "key": 11,
     "kind": "text",
     "label_en": "Personal number",
     "label_zh": "个人编号",
     "max_length": 64,
     "name": "personal_number"
    }
   ],
   "gb_type_code": "111000000000002024001",
   "name_en": "Medical insurance e-voucher",
   "name_zh": "医保电子凭证",
   "number": 15,
   "profiles": {
    "full": [
     "holder_name",
     "holder_code",
     "valid_from",
     "valid_until",
     "insured_area",
     "insurance_type",
     "insured_status",
     "personal_number"
    ],
    "minimal": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until"
    ],
    "standard": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until",
     "insured_area",
     "insurance_type",
     "insured_status"
    ]
   },
   "retired": {
    "standard": []
   }
  },
  {
   "code": "health_card",
   "fields": [
    {
     "choices": [],
     "key": 2,
     "kind": "text",
     "label_en": "Name",
     "label_zh": "姓名",
     "max_length": 100,
     "name": "holder_name"
    },
    {
     "choices": [],
     "key": 3,
     "kind": "text",
     "label_en": "Citizen ID number",
     "label_zh": "公民身份号码",
     "max_length": 32,
     "name": "holder_code"
    },
    {
     "choices": [],
     "key": 4,
     "kind": "text",
     "label_en": "Citizen ID number",
     "label_zh": "公民身份号码",
     "max_length": 32,
     "name": "holder_code_masked"
    },
    {
     "choices": [],
     "key": 5,
     "kind": "date",
     "label_en": "Valid from",
     "label_zh": "有效期起始日期",
     "max_length": 64,
     "name": "valid_from"
    },
    {
     "choices": [],
     "key": 6,
     "kind": "date",
     "label_en": "Valid until",
     "label_zh": "有效期截止日期",
     "max_length": 64,
     "name": "valid_until"
    },
    {
     "choices": [],
     "key": 8,
     "kind": "text",
     "label_en": "Master index number",
     "label_zh": "主索引号",
     "max_length": 64,
     "name": "card_number"
    },
    {
     "choices": [
      "男",
      "女"
     ],
     "key": 9,
     "kind": "enum",
     "label_en": "Sex",
     "label_zh": "性别",
     "max_length": 64,
     "name": "gender"
    },
    {
     "choices": [],
     "key": 10,
     "kind": "date",
     "label_en": "Date of birth",
     "label_zh": "出生日期",
     "max_length": 64,
     "name": "birth_date"
    },
    {
     "choices": [],
     "key": 11,
     "kind": "text",
     "label_en": "Issued by",
     "label_zh": "发卡机构",
     "max_length": 64,
     "name": "issuer_org"
    }
   ],
   "gb_type_code": "11100000000000601P002",
   "name_en": "Electronic health card",
   "name_zh": "电子健康卡",
   "number": 16,
   "profiles": {
    "full": [
     "holder_name",
     "holder_code",
     "valid_from",
     "valid_until",
     "card_number",
     "gender",
     "birth_date",
     "issuer_org"
    ],
    "minimal": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until"
    ],
    "standard": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until",
     "gender",
     "issuer_org"
    ]
   },
   "retired": {
    "standard": [
     "birth_date"
    ]
   }
  },
  {
   "code": "teacher_qualification",
   "fields": [
    {
     "choices": [],
     "key": 2,
     "kind": "text",
     "label_en": "Name",
     "label_zh": "姓名",
     "max_length": 100,
     "name": "holder_name"
    },
    {
     "choices": [],
     "key": 3,
     "kind": "text",
     "label_en": "Citizen ID number",
     "label_zh": "公民身份号码",
     "max_length": 32,
     "name": "holder_code"
    },
    {
     "choices": [],
     "key": 4,
     "kind": "text",
     "label_en": "Citizen ID number",
     "label_zh": "公民身份号码",
     "max_length": 32,
     "name": "holder_code_masked"
    },
    {
     "choices": [],
     "key": 5,
     "kind": "date",
     "label_en": "Valid from",
     "label_zh": "有效期起始日期",
     "max_length": 64,
     "name": "valid_from"
    },
    {
     "choices": [],
     "key": 6,
     "kind": "date",
     "label_en": "Valid until",
     "label_zh": "有效期截止日期",
     "max_length": 64,
     "name": "valid_until"
    },
    {
     "choices": [],
     "key": 8,
     "kind": "text",
     "label_en": "Certificate number",
     "label_zh": "资格证书号码",
     "max_length": 20,
     "name": "certificate_number"
    },
    {
     "choices": [
      "男",
      "女"
     ],
     "key": 9,
     "kind": "enum",
     "label_en": "Sex",
     "label_zh": "性别",
     "max_length": 64,
     "name": "gender"
    },
    {
     "choices": [],
     "key": 10,
     "kind": "date",
     "label_en": "Date of birth",
     "label_zh": "出生日期",
     "max_length": 64,
     "name": "birth_date"
    },
    {
     "choices": [
      "幼儿园教师资格",
      "小学教师资格",
      "初级中学教师资格",
      "高级中学教师资格",
      "中等职业学校教师资格"
     ],
     "key": 11,
     "kind": "enum",
     "label_en": "Qualification",
     "label_zh": "资格种类",
     "max_length": 64,
     "name": "qualification_type"
    },
    {
     "choices": [],
     "key": 12,
     "kind": "text",
     "label_en": "Subject",
     "label_zh": "任教学科",
     "max_length": 64,
     "name": "subject"
    },
    {
     "choices": [],
     "key": 13,
     "kind": "date",
     "label_en": "Date of issue",
     "label_zh": "发证日期",
     "max_length": 64,
     "name": "issue_date"
    },
    {
     "choices": [],
     "key": 14,
     "kind": "text",
     "label_en": "Issuing authority",
     "label_zh": "颁发机关",
     "max_length": 64,
     "name": "issuing_authority"
    }
   ],
   "gb_type_code": "111000000000008013001",
   "name_en": "Teacher qualification certificate",
   "name_zh": "教师资格证书",
   "number": 17,
   "profiles": {
    "full": [
     "holder_name",
     "holder_code",
     "valid_from",
     "valid_until",
     "certificate_number",
     "gender",
     "birth_date",
     "qualification_type",
     "subject",
     "issue_date",
     "issuing_authority"
    ],
    "minimal": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until"
    ],
    "standard": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until",
     "gender",
     "qualification_type",
     "subject",
     "issue_date"
    ]
   },
   "retired": {
    "standard": [
     "certificate_number",
     "birth_date",
     "issuing_authority"
    ]
   }
  },
  {
   "code": "veteran_preferential_card",
   "fields": [
    {
     "choices": [],
     "key": 2,
     "kind": "text",
     "label_en": "Name",
     "label_zh": "姓名",
     "max_length": 100,
     "name": "holder_name"
    },
    {
     "choices": [],
     "key": 3,
     "kind": "text",
     "label_en": "Citizen ID number",
     "label_zh": "公民身份号码",
     "max_length": 32,
     "name": "holder_code"
    },
    {
     "choices": [],
     "key": 4,
     "kind": "text",
     "label_en": "Citizen ID number",
     "label_zh": "公民身份号码",
     "max_length": 32,
     "name": "holder_code_masked"
    },
    {
     "choices": [],
     "key": 5,
     "kind": "date",
     "label_en": "Valid from",
     "label_zh": "有效期起始日期",
     "max_length": 64,
     "name": "valid_from"
    },
    {
     "choices": [],
     "key": 6,
     "kind": "date",
     "label_en": "Valid until",
     "label_zh": "有效期截止日期",
     "max_length": 64,
     "name": "valid_until"
    },
    {
     "choices": [],
     "key": 8,
     "kind": "text",
     "label_en": "Card number",
     "label_zh": "优待证号",
     "max_length": 20,
     "name": "card_number"
    },
    {
     "choices": [
      "男",
      "女"
     ],
     "key": 9,
     "kind": "enum",
     "label_en": "Sex",
     "label_zh": "性别",
     "max_length": 64,
     "name": "gender"
    },
    {
     "choices": [],
     "key": 10,
     "kind": "date",
     "label_en": "Date of birth",
     "label_zh": "出生日期",
     "max_length": 64,
     "name": "birth_date"
    },
    {
     "choices": [],
     "key": 11,
     "kind": "date",
     "label_en": "Date of issue",
     "label_zh": "发证日期",
     "max_length": 64,
     "name": "issue_date"
    }
   ],
   "gb_type_code": "11100000000000901Q001",
   "name_en": "Veteran preferential treatment card",
   "name_zh": "退役军人优待证",
   "number": 18,
   "profiles": {
    "full": [
     "holder_name",
     "holder_code",
     "valid_from",
     "valid_until",
     "card_number",
     "gender",
     "birth_date",
     "issue_date"
    ],
    "minimal": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until"
    ],
    "standard": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until",
     "card_number",
     "gender",
     "issue_date"
    ]
   },
   "retired": {
    "standard": [
     "birth_date"
    ]
   }
  },
  {
   "code": "senior_citizen_card",
   "fields": [
    {
     "choices": [],
     "key": 2,
     "kind": "text",
     "label_en": "Name",
     "label_zh": "姓名",
     "max_length": 100,
     "name": "holder_name"
    },
    {
     "choices": [],
     "key": 3,
     "kind": "text",
     "label_en": "Citizen ID number",
     "label_zh": "公民身份号码",
     "max_length": 32,
     "name": "holder_code"
    },
    {
     "choices": [],
     "key": 4,
     "kind": "text",
     "label_en": "Citizen ID number",
     "label_zh": "公民身份号码",
     "max_length": 32,
     "name": "holder_code_masked"
    },
    {
     "choices": [],
     "key": 5,
     "kind": "date",
     "label_en": "Valid from",
     "label_zh": "有效期起始日期",
     "max_length": 64,
     "name": "valid_from"
    },
    {
     "choices": [],
     "key": 6,
     "kind": "date",
     "label_en": "Valid until",
     "label_zh": "有效期截止日期",
     "max_length": 64,
     "name": "valid_until"
    },
    {
     "choices": [],
     "key": 8,
     "kind": "text",
     "label_en": "Card number",
     "label_zh": "优待证号",
     "max_length": 20,
     "name": "card_number"
    },
    {
     "choices": [
      "男",
      "女"
     ],
     "key": 9,
     "kind": "enum",
     "label_en": "Sex",
     "label_zh": "性别",
     "max_length": 64,
     "name": "gender"
    },
    {
     "choices": [],
     "key": 10,
     "kind": "date",
     "label_en": "Date of birth",
     "label_zh": "出生日期",
     "max_length": 64,
     "name": "birth_date"
    },
    {
     "choices": [],
     "key": 11,
     "kind": "text",
     "label_en": "District",
     "label_zh": "所属区(市)",
     "max_length": 64,
     "name": "district"
    },
    {
     "choices": [],
     "key": 12,
     "kind": "date",
     "label_en": "Date of issue",
     "label_zh": "发证日期",
     "max_length": 64,
     "name": "issue_date"
    }
   ],
   "gb_type_code": "111000000000005012003",
   "name_en": "Senior citizen preferential card",
   "name_zh": "老年人优待证",
   "number": 19,
   "profiles": {
    "full": [
     "holder_name",
     "holder_code",
     "valid_from",
     "valid_until",
     "card_number",
     "gender",
     "birth_date",
     "district",
     "issue_date"
    ],
    "minimal": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until"
    ],
    "standard": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until",
     "card_number",
     "gender",
     "issue_date"
    ]
   },
   "retired": {
    "standard": [
     "birth_date",
     "district"
    ]
   }
  },
  {
   "code": "food_business_permit",
   "fields": [
    {
     "choices": [],
     "key": 2,
     "kind": "text",
     "label_en": "Operator",
     "label_zh": "经营者名称",
     "max_length": 100,
     "name": "holder_name"
    },
    {
     "choices": [],
     "key": 3,
     "kind": "text",
     "label_en": "Unified social credit code",
     "label_zh": "社会信用代码",
     "max_length": 32,
     "name": "holder_code"
    },
    {
     "choices": [],
     "key": 4,
     "kind": "text",
     "label_en": "Unified social credit code",
     "label_zh": "社会信用代码",
     "max_length": 32,
     "name": "holder_code_masked"
    },
    {
     "choices": [],
     "key": 5,
     "kind": "date",
     "label_en": "Valid from",
     "label_zh": "有效期起始日期",
     "max_length": 64,
     "name": "valid_from"
    },
    {
     "choices": [],
     "key": 6,
     "kind": "date",
     "label_en": "Valid until",
     "label_zh": "有效期截止日期",
     "max_length": 64,
     "name": "valid_until"
    },
    {
     "choices": [],
     "key": 8,
     "kind": "text",
     "label_en": "Permit number",
     "label_zh": "许可证编号",
     "max_length": 16,
     "name": "permit_number"
    },
    {
     "choices": [],
     "key": 9,
     "kind": "text",
     "label_en": "Legal representative",
     "label_zh": "法定代表人(负责人)",
     "max_length": 64,
     "name": "legal_representative"
    },
    {
     "choices": [],
     "key": 10,
     "kind": "text",
     "label_en": "Domicile",
     "label_zh": "住所",
     "max_length": 100,
     "name": "domicile"
    },
    {
     "choices": [],
     "key": 11,
     "kind": "text",
     "label_en": "Business premises",
     "label_zh": "经营场所",
     "max_length": 100,
     "name": "premises"
    },
    {
     "choices": [],
     "key": 12,
     "kind": "text",
     "label_en": "Main business",
     "label_zh": "主体业态",
     "max_length": 64,
     "name": "main_business"
    },
    {
     "choices": [],
     "key": 13,
     "kind": "text",
     "label_en": "Business items",
     "label_zh": "经营项目",
     "max_length": 100,
     "name": "business_items"
    },
    {
     "choices": [],
     "key": 14,
     "kind": "text",
     "label_en": "Issuing authority",
     "label_zh": "发证机关",
     "max_length": 64,
     "name": "issuing_authority"
    },
    {
     "choices": [],
     "key": 15,
     "kind": "date",
     "label_en": "Date of issue",
     "label_zh": "发证日期",
     "max_length": 64,
     "name": "issue_date"
    }
   ],
   "gb_type_code": "11100000000000401C002",
   "name_en": "Food business permit",
   "name_zh": "食品经营许可证",
   "number": 20,
   "profiles": {
    "full": [
     "holder_name",
     "holder_code",
     "valid_from",
     "valid_until",
     "permit_number",
     "legal_representative",
     "domicile",
     "premises",
     "main_business",
     "business_items",
     "issuing_authority",
     "issue_date"
    ],
    "minimal": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until"
    ],
    "standard": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until",
     "permit_number",
     "legal_representative",
     "domicile",
     "premises",
     "main_business",
     "business_items",
     "issuing_authority",
     "issue_date"
    ]
   },
   "retired": {
    "standard": []
   }
  },
  {
   "code": "physician_practice_certificate",
   "fields": [
    {
     "choices": [],
     "key": 2,
     "kind": "text",
     "label_en": "Name",
     "label_zh": "姓名",
     "max_length": 100,
     "name": "holder_name"
    },
    {
     "choices": [],
     "key": 3,
     "kind": "text",
     "label_en": "Citizen ID number",
     "label_zh": "公民身份号码",
     "max_length": 32,
     "name": "holder_code"
    },
    {
     "choices": [],
     "key": 4,
     "kind": "text",
     "label_en": "Citizen ID number",
     "label_zh": "公民身份号码",
     "max_length": 32,
     "name": "holder_code_masked"
    },
    {
     "choices": [],
     "key": 5,
     "kind": "date",
     "label_en": "Valid from",
     "label_zh": "有效期起始日期",
     "max_length": 64,
     "name": "valid_from"
    },
    {
     "choices": [],
     "key": 6,
     "kind": "date",
     "label_en": "Valid until",
     "label_zh": "有效期截止日期",
     "max_length": 64,
     "name": "valid_until"
    },
    {
     "choices": [],
     "key": 8,
     "kind": "text",
     "label_en": "Certificate number",
     "label_zh": "证书编码",
     "max_length": 16,
     "name": "certificate_number"
    },
    {
     "choices": [
      "男",
      "女"
     ],
     "key": 9,
     "kind": "enum",
     "label_en": "Sex",
     "label_zh": "性别",
     "max_length": 64,
     "name": "gender"
    },
    {
     "choices": [],
     "key": 10,
     "kind": "date",
     "label_en": "Date of birth",
     "label_zh": "出生日期",
     "max_length": 64,
     "name": "birth_date"
    },
    {
     "choices": [
      "临床",
      "中医",
      "口腔",
      "公共卫生"
     ],
     "key": 11,
     "kind": "enum",
     "label_en": "Category",
     "label_zh": "执业类别",
     "max_length": 64,
     "name": "practice_category"
    },
    {
     "choices": [],
     "key": 12,
     "kind": "text",
     "label_en": "Scope",
     "label_zh": "执业范围",
     "max_length": 64,
     "name": "practice_scope"
    },
    {
     "choices": [],
     "key": 13,
     "kind": "text",
     "label_en": "Place of practice",
     "label_zh": "执业地点",
     "max_length": 64,
     "name": "practice_place"
    },
    {
     "choices": [],
     "key": 14,
     "kind": "date",
     "label_en": "Date of issue",
     "label_zh": "发证日期",
     "max_length": 64,
     "name": "issue_date"
    },
    {
     "choices": [],
     "key": 15,
     "kind": "text",
     "label_en": "Issuing authority",
     "label_zh": "发证机关",
     "max_length": 64,
     "name": "issuing_authority"
    }
   ],
   "gb_type_code": "11100000000000601P003",
   "name_en": "Physician practising certificate",
   "name_zh": "医师执业证书",
   "number": 21,
   "profiles": {
    "full": [
     "holder_name",
     "holder_code",
     "valid_from",
     "valid_until",
     "certificate_number",
     "gender",
     "birth_date",
     "practice_category",
     "practice_scope",
     "practice_place",
     "issue_date",
     "issuing_authority"
    ],
    "minimal": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until"
    ],
    "standard": [
     "holder_name",
     "holder_code_masked",
     "valid_from",
     "valid_until",
     "certificate_number",
     "gender",
     "practice_category",
     "practice_scope",
     "practice_place",
     "issue_date",
     "issuing_authority"
    ]
   },
   "retired": {
    "standard": [
     "birth_date"
    ]
   }
  }
 ],
 "profile_numbers": {
  "custom": 3,
  "full": 2,
  "minimal": 0,
  "standard": 1
 },
 "reasons": {
  "alg_not_protected": [
   "签名算法未受签名保护，拒绝处理",
   "The signature algorithm is not in the signed header"
  ],
  "bad_base45": [
   "二维码内容已损坏（编码错误）",
   "The code is damaged (bad Base45)"
  ],
  "bad_cbor": [
   "二维码内容已损坏（数据格式错误）",
   "The code is damaged (bad CBOR)"
  ],
  "bad_signature": [
   "签名无效，证照可能被篡改",
   "Invalid signature; the license may be forged"
  ],
  "bad_zlib": [
   "二维码内容已损坏（压缩数据错误）",
   "The code is damaged (bad compressed data)"
  ],
  "claim_too_long": [
   "证照数据项超出长度上限，拒绝处理",
   "A value in the license is longer than allowed"
  ],
  "clock_before_bundle": [
   "本机时间早于信任数据签发时间，请校准时钟",
   "This device's clock is before the trust data was issued; fix the clock"
  ],
  "expired": [
   "证照已过期",
   "The license has expired"
  ],
  "holder_binding_failed": [
   "持证人设备签名无效",
   "The holder's device signature is invalid"
  ],
  "holder_binding_required": [
   "此证照须由持证人手机动态出示，不接受静态二维码",
   "This license must be shown live from the holder's phone"
  ],
  "insufficient_disclosure": [
   "出示的证照信息不足以办理此事项",
   "The license does not disclose the fields this service needs"
  ],
  "issued_in_future": [
   "证照签发时间晚于本机时间，请校准时钟",
   "The license was issued after this device's time; check the clock"
  ],
  "key_not_allowed_for_type": [
   "该签发密钥无权签发此类证照",
   "This key may not sign this license type"
  ],
  "key_not_valid_at_time": [
   "签发时签发密钥不在有效期内",
   "The key was not valid when the license was signed"
  ],
  "kid_not_protected": [
   "证照未在签名数据中标明签发密钥",
   "The code does not name its signing key in the signed header"
  ],
  "malformed": [
   "证照数据格式不正确",
   "The license data is malformed"
  ],
  "no_qr_code": [
   "图片中没有可识别的二维码",
   "No readable QR code in the image"
  ],
  "not_qd1": [
   "不是电子证照二维码",
   "Not a QD1 license code"
  ],
  "not_yet_valid": [
   "证照尚未生效",
   "The license is not yet valid"
  ],
  "presentation_too_old": [
   "动态码已过期或时间不符，请持证人刷新",
   "The live code is outside ±90 s; ask the holder to refresh"
  ],
  "replayed": [
   "该动态码已被使用过",
   "This live code has already been used"
  ],
  "revoked": [
   "证照已被注销",
   "The license has been revoked"
  ],
  "stale_trust_data": [
   "信任数据已超过7天未更新，请联网同步",
   "Trust data is more than 7 days old; go online to sync"
  ],
  "status_unknown": [
   "无法确认证照状态，请同步信任数据",
   "License status unknown; sync the trust data"
  ],
  "suspended": [
   "证照已被暂停使用",
   "The license is suspended"
  ],
  "too_large": [
   "二维码内容过大，拒绝处理",
   "The code is too large to be a license"
  ],
  "trust_bundle_invalid": [
   "信任数据无效",
   "The trust data is invalid"
  ],
  "trust_bundle_rollback": [
   "信任数据版本比现有版本旧",
   "The trust data is older than the one held"
  ],
  "unknown_critical_header": [
   "证照含有本机无法识别的关键参数，拒绝处理",
   "The code has a critical header this verifier does not understand"
  ],
  "unknown_key": [
   "签发机构密钥未知，请同步信任数据",
   "Unknown issuer key; sync the trust data"
  ],
  "unsupported_algorithm": [
   "不支持的签名算法",
   "Unsupported signature algorithm"
  ]
 },
 "valid": [
  "证照有效",
  "The license is valid"
 ],
 "warnings": {
  "replay_not_checked": [
   "未检查动态码重放",
   "Replay of the live code was not checked"
  ],
  "rollback_not_checked": [
   "未检查信任数据是否被回退到旧版本（未使用状态目录）",
   "Whether the trust data was rolled back to an older one was not checked (no state directory)"
  ],
  "trust_data_older_than_24h": [
   "信任数据已超过24小时未更新",
   "Trust data is more than 24 hours old"
  ]
 }
}
