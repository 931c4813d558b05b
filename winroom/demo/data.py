"""Static material for the demo company: places, names, org charts and activity texts.

Everything here is plain data; ``winroom.demo.generator`` draws from it with a seeded
random generator so that one seed always gives the same company.
"""

# The seller: a Chinese industrial-software company.
COMPANY_NAME = "智云工业软件有限公司"
COMPANY_SHORT = "智云"
USER_EMAIL_DOMAIN = "zhiyun-soft.example.com"
PASSWORD = "winroom-demo-2026"

# Our product lines, mentioned in activity subjects and notes.
PRODUCTS = [
    "智云MES制造执行系统",
    "智云APS高级计划排程",
    "设备物联网平台",
    "数字孪生工厂",
    "工业数据中台",
    "能耗管理系统",
    "质量追溯系统",
    "智能仓储WMS",
    "设备预测性维护",
    "安全生产管理平台",
    "智慧园区管理平台",
    "工业互联网标识解析",
]

# Sales regions: (code, region team, sales teams below it).
EAST = "east"
WEST = "west"

# Cities: (city, pinyin, province, province short, is municipality, districts, weight).
CITIES = {
    EAST: [
        ("上海", "shanghai", "上海市", "上海", True, ["浦东新区", "闵行区", "嘉定区", "松江区", "宝山区", "青浦区"], 14),
        ("杭州", "hangzhou", "浙江省", "浙江", False, ["滨江区", "余杭区", "萧山区", "钱塘区", "西湖区"], 12),
        ("南京", "nanjing", "江苏省", "江苏", False, ["江宁区", "雨花台区", "浦口区", "栖霞区", "建邺区"], 10),
        ("苏州", "suzhou", "江苏省", "江苏", False, ["工业园区", "高新区", "吴中区", "相城区", "昆山市"], 12),
        ("宁波", "ningbo", "浙江省", "浙江", False, ["北仑区", "鄞州区", "镇海区", "慈溪市", "余姚市"], 9),
        ("合肥", "hefei", "安徽省", "安徽", False, ["高新区", "经开区", "包河区", "蜀山区"], 8),
        ("无锡", "wuxi", "江苏省", "江苏", False, ["新吴区", "惠山区", "锡山区", "江阴市"], 7),
        ("常州", "changzhou", "江苏省", "江苏", False, ["武进区", "新北区", "天宁区"], 5),
        ("南通", "nantong", "江苏省", "江苏", False, ["崇川区", "通州区", "海门区"], 4),
        ("嘉兴", "jiaxing", "浙江省", "浙江", False, ["南湖区", "秀洲区", "嘉善县", "海宁市"], 4),
        ("绍兴", "shaoxing", "浙江省", "浙江", False, ["越城区", "柯桥区", "上虞区"], 3),
        ("温州", "wenzhou", "浙江省", "浙江", False, ["鹿城区", "瓯海区", "乐清市"], 4),
        ("芜湖", "wuhu", "安徽省", "安徽", False, ["鸠江区", "弋江区", "镜湖区"], 3),
        ("徐州", "xuzhou", "江苏省", "江苏", False, ["云龙区", "铜山区", "鼓楼区"], 3),
        ("扬州", "yangzhou", "江苏省", "江苏", False, ["邗江区", "广陵区", "江都区"], 2),
    ],
    WEST: [
        ("成都", "chengdu", "四川省", "四川", False, ["高新区", "武侯区", "双流区", "龙泉驿区", "新都区"], 14),
        ("重庆", "chongqing", "重庆市", "重庆", True, ["渝北区", "两江新区", "九龙坡区", "沙坪坝区", "江北区"], 12),
        ("西安", "xian", "陕西省", "陕西", False, ["高新区", "经开区", "雁塔区", "未央区"], 10),
        ("昆明", "kunming", "云南省", "云南", False, ["呈贡区", "官渡区", "五华区"], 5),
        ("贵阳", "guiyang", "贵州省", "贵州", False, ["观山湖区", "南明区", "白云区"], 5),
        ("绵阳", "mianyang", "四川省", "四川", False, ["涪城区", "游仙区", "高新区"], 3),
        ("宜宾", "yibin", "四川省", "四川", False, ["翠屏区", "叙州区", "南溪区"], 2),
        ("德阳", "deyang", "四川省", "四川", False, ["旌阳区", "广汉市", "什邡市"], 2),
        ("兰州", "lanzhou", "甘肃省", "甘肃", False, ["城关区", "七里河区", "安宁区"], 3),
        ("宝鸡", "baoji", "陕西省", "陕西", False, ["渭滨区", "金台区", "陈仓区"], 2),
        ("遵义", "zunyi", "贵州省", "贵州", False, ["汇川区", "红花岗区"], 2),
        ("银川", "yinchuan", "宁夏回族自治区", "宁夏", False, ["金凤区", "兴庆区", "西夏区"], 2),
    ],
}

ROADS = [
    "科技路", "工业大道", "高新大道", "创新路", "长江路", "人民路", "建设路", "解放路",
    "东方大道", "金桥路", "星湖街", "锦绣路", "天府大道", "振兴路", "滨江大道", "新华路",
    "和平路", "文昌路", "望江路", "光明路", "中山路", "世纪大道", "开发大道", "学府路",
]

# Common surnames with pinyin and a rough frequency weight.
SURNAMES = [
    ("王", "wang", 72), ("李", "li", 71), ("张", "zhang", 68), ("刘", "liu", 52),
    ("陈", "chen", 45), ("杨", "yang", 32), ("黄", "huang", 24), ("赵", "zhao", 21),
    ("吴", "wu", 20), ("周", "zhou", 19), ("徐", "xu", 14), ("孙", "sun", 13),
    ("马", "ma", 12), ("朱", "zhu", 11), ("胡", "hu", 11), ("郭", "guo", 11),
    ("何", "he", 10), ("林", "lin", 9), ("高", "gao", 9), ("罗", "luo", 9),
    ("郑", "zheng", 8), ("梁", "liang", 8), ("谢", "xie", 7), ("宋", "song", 6),
    ("唐", "tang", 6), ("许", "xu", 6), ("邓", "deng", 6), ("韩", "han", 6),
    ("冯", "feng", 6), ("曹", "cao", 5), ("彭", "peng", 5), ("曾", "zeng", 5),
    ("肖", "xiao", 5), ("田", "tian", 5), ("董", "dong", 5), ("潘", "pan", 4),
    ("袁", "yuan", 4), ("蔡", "cai", 4), ("蒋", "jiang", 4), ("余", "yu", 4),
    ("于", "yu", 4), ("杜", "du", 4), ("叶", "ye", 4), ("程", "cheng", 4),
    ("魏", "wei", 4), ("苏", "su", 4), ("吕", "lv", 3), ("丁", "ding", 3),
    ("任", "ren", 3), ("卢", "lu", 3), ("姚", "yao", 3), ("沈", "shen", 3),
    ("钟", "zhong", 3), ("姜", "jiang", 3), ("崔", "cui", 3), ("谭", "tan", 3),
    ("陆", "lu", 3), ("范", "fan", 2), ("汪", "wang", 2), ("廖", "liao", 2),
    ("石", "shi", 2), ("金", "jin", 2), ("韦", "wei", 2), ("贾", "jia", 2),
    ("夏", "xia", 2), ("付", "fu", 2), ("方", "fang", 2), ("邹", "zou", 2),
    ("熊", "xiong", 2), ("白", "bai", 2), ("孟", "meng", 2), ("秦", "qin", 2),
    ("邱", "qiu", 2), ("侯", "hou", 2), ("江", "jiang", 2), ("尹", "yin", 2),
    ("欧阳", "ouyang", 1), ("司马", "sima", 1), ("上官", "shangguan", 1),
]

# Characters used in given names, with pinyin.
GIVEN_CHARS = [
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"),
    ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"),
    ("杰", "jie"), ("娟", "juan"), ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("秀", "xiu"),
    ("霞", "xia"), ("平", "ping"), ("刚", "gang"), ("桂", "gui"), ("英", "ying"), ("华", "hua"),
    ("建", "jian"), ("国", "guo"), ("志", "zhi"), ("海", "hai"), ("文", "wen"), ("斌", "bin"),
    ("辉", "hui"), ("鹏", "peng"), ("宇", "yu"), ("浩", "hao"), ("凯", "kai"), ("晨", "chen"),
    ("婷", "ting"), ("雪", "xue"), ("琳", "lin"), ("晶", "jing"), ("慧", "hui"), ("颖", "ying"),
    ("佳", "jia"), ("欣", "xin"), ("怡", "yi"), ("雨", "yu"), ("思", "si"), ("博", "bo"),
    ("宏", "hong"), ("俊", "jun"), ("峰", "feng"), ("波", "bo"), ("亮", "liang"), ("飞", "fei"),
    ("昊", "hao"), ("然", "ran"), ("哲", "zhe"), ("轩", "xuan"), ("睿", "rui"), ("泽", "ze"),
    ("子", "zi"), ("梓", "zi"), ("嘉", "jia"), ("晓", "xiao"), ("玉", "yu"), ("兰", "lan"),
    ("春", "chun"), ("红", "hong"), ("丹", "dan"), ("倩", "qian"), ("蕾", "lei"), ("薇", "wei"),
    ("一", "yi"), ("天", "tian"), ("立", "li"), ("新", "xin"), ("永", "yong"), ("德", "de"),
    ("成", "cheng"), ("忠", "zhong"), ("振", "zhen"), ("兴", "xing"), ("东", "dong"), ("阳", "yang"),
    ("卫", "wei"), ("庆", "qing"), ("荣", "rong"), ("胜", "sheng"), ("林", "lin"), ("健", "jian"),
]

# Characters combined into fictitious company brand names, with pinyin.
BRAND_CHARS = [
    ("恒", "heng"), ("瑞", "rui"), ("远", "yuan"), ("华", "hua"), ("鑫", "xin"), ("泰", "tai"),
    ("宏", "hong"), ("博", "bo"), ("创", "chuang"), ("达", "da"), ("盛", "sheng"), ("兴", "xing"),
    ("安", "an"), ("和", "he"), ("宇", "yu"), ("嘉", "jia"), ("隆", "long"), ("锦", "jin"),
    ("昌", "chang"), ("润", "run"), ("德", "de"), ("信", "xin"), ("诚", "cheng"), ("天", "tian"),
    ("海", "hai"), ("峰", "feng"), ("中", "zhong"), ("科", "ke"), ("联", "lian"), ("汇", "hui"),
    ("东", "dong"), ("明", "ming"), ("辰", "chen"), ("星", "xing"), ("凯", "kai"), ("骏", "jun"),
    ("耀", "yao"), ("通", "tong"), ("力", "li"), ("源", "yuan"), ("拓", "tuo"), ("晟", "sheng"),
    ("永", "yong"), ("祥", "xiang"), ("福", "fu"), ("金", "jin"), ("威", "wei"), ("立", "li"),
    ("卓", "zhuo"), ("越", "yue"), ("精", "jing"), ("锐", "rui"), ("振", "zhen"), ("丰", "feng"),
    ("佳", "jia"), ("鸿", "hong"), ("晨", "chen"), ("阳", "yang"), ("光", "guang"), ("启", "qi"),
    ("新", "xin"), ("合", "he"), ("广", "guang"), ("正", "zheng"), ("荣", "rong"), ("鼎", "ding"),
    ("臻", "zhen"), ("亿", "yi"), ("万", "wan"), ("方", "fang"), ("圆", "yuan"), ("宁", "ning"),
    ("久", "jiu"), ("易", "yi"), ("智", "zhi"), ("捷", "jie"),
]

ORDINALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九"]

# Industry weights for an industrial-software seller (keys are Industry values).
INDUSTRY_WEIGHTS = {
    "manufacturing": 30,
    "automotive": 12,
    "energy": 12,
    "government": 9,
    "transport": 7,
    "construction": 6,
    "healthcare": 5,
    "education": 5,
    "telecom": 4,
    "finance": 3,
    "retail": 4,
    "other": 3,
}

# Industry words that follow a brand in company names.
INDUSTRY_WORDS = {
    "manufacturing": [
        "精密制造", "机械", "重工", "装备制造", "新材料", "电子科技", "智能装备", "化工",
        "特钢", "纺织", "电气", "阀门", "轴承", "模具", "光电科技", "机床", "泵业", "包装",
        "电缆", "半导体", "铝业", "电机",
    ],
    "automotive": [
        "汽车零部件", "汽车电子", "动力科技", "新能源汽车", "汽车部件", "车桥", "传动科技",
        "电池科技",
    ],
    "energy": ["新能源", "能源", "光伏科技", "热电", "储能科技", "燃气", "风电设备"],
    "transport": ["物流", "供应链管理", "航运", "冷链物流", "快运"],
    "construction": ["建设", "建工", "置业", "建材", "路桥"],
    "healthcare": ["生物医药", "制药", "医疗器械", "药业"],
    "telecom": ["通信技术", "光通信", "网络科技"],
    "finance": ["融资租赁", "保险经纪", "金融服务"],
    "retail": ["食品", "乳业", "家居", "商贸", "饮料", "日化"],
    "other": ["环保科技", "检测技术", "水务", "科技"],
    "government": [],
    "education": [],
}

COMPANY_SUFFIXES = [
    ("股份有限公司", 4),
    ("有限公司", 6),
    ("集团有限公司", 2),
    ("集团股份有限公司", 1),
    ("有限责任公司", 1),
]

GOV_BUREAUS = [
    ("交通运输局", "jtj"),
    ("经济和信息化局", "jxj"),
    ("应急管理局", "yjj"),
    ("数据资源管理局", "sjj"),
    ("生态环境局", "sthjj"),
    ("住房和城乡建设局", "zjj"),
    ("水务局", "swj"),
    ("市场监督管理局", "scjgj"),
    ("科学技术局", "kjj"),
    ("城市管理局", "cgj"),
    ("发展和改革委员会", "fgw"),
    ("商务局", "swuj"),
]

# Company-name patterns per industry: (template, org chart, domain template, condition).
# Placeholders: {city} {district} {province} {prov} {brand} {word} {suffix} {n} {bureau}
# {cp} (city pinyin) {bp} (brand pinyin) {abbr}. Condition "muni" or "nonmuni" limits a
# pattern to municipalities (上海, 重庆) or to other cities.
NAME_PATTERNS = {
    "manufacturing": [
        ("{prov}{brand}{word}{suffix}", "enterprise", "{bp}.com", None, 5),
        ("{city}{brand}{word}{suffix}", "enterprise", "{bp}.com.cn", None, 4),
        ("{brand}{word}{suffix}", "enterprise", "{bp}.com", None, 3),
        ("{city}{brand}{word}集团有限公司", "enterprise", "{bp}group.com", None, 1),
    ],
    "automotive": [
        ("{city}{brand}{word}{suffix}", "enterprise", "{bp}auto.com", None, 3),
        ("{prov}{brand}{word}{suffix}", "enterprise", "{bp}.com.cn", None, 2),
        ("{brand}{word}{suffix}", "enterprise", "{bp}.com", None, 2),
    ],
    "energy": [
        ("国网{province}电力有限公司{city}供电公司", "grid", "{cp}.sgcc.example.cn", "nonmuni", 3),
        ("国网{city}市电力公司{district}供电公司", "grid", "{cp}.sgcc.example.cn", "muni", 3),
        ("{prov}{brand}{word}{suffix}", "enterprise", "{bp}energy.com", None, 3),
        ("{city}{brand}{word}{suffix}", "enterprise", "{bp}.com.cn", None, 2),
    ],
    "government": [
        ("{city}市{bureau}", "government", "{abbr}.{cp}.gov.cn", None, 4),
        ("{city}市{district}{bureau}", "government", "{abbr}.{cp}.gov.cn", None, 3),
        ("{city}高新技术产业开发区管理委员会", "government", "gxq.{cp}.gov.cn", None, 1),
    ],
    "transport": [
        ("{city}轨道交通集团有限公司", "enterprise", "{cp}metro.com", None, 2),
        ("{city}港集团有限公司", "enterprise", "{cp}port.com", None, 1),
        ("{city}公共交通集团有限责任公司", "enterprise", "{cp}bus.com", None, 1),
        ("{brand}{word}{suffix}", "enterprise", "{bp}.com", None, 4),
        ("{city}{brand}{word}{suffix}", "enterprise", "{bp}.com.cn", None, 2),
    ],
    "construction": [
        ("{prov}{brand}{word}集团有限公司", "enterprise", "{bp}.com", None, 3),
        ("{city}城建集团有限公司", "enterprise", "{cp}cj.com", None, 1),
        ("{city}市政工程设计研究院有限公司", "enterprise", "{cp}szy.com", None, 1),
        ("{brand}{word}{suffix}", "enterprise", "{bp}.com.cn", None, 3),
    ],
    "healthcare": [
        ("{city}市第{n}人民医院", "hospital", "{cp}{abbr}yy.example.cn", None, 3),
        ("{city}市中医院", "hospital", "{cp}zyy.example.cn", None, 1),
        ("{city}市妇幼保健院", "hospital", "{cp}fy.example.cn", None, 1),
        ("{prov}{brand}{word}{suffix}", "enterprise", "{bp}pharma.com", None, 3),
        ("{brand}{word}{suffix}", "enterprise", "{bp}.com", None, 2),
    ],
    "education": [
        ("{city}工业职业技术学院", "school", "{cp}gy.edu.cn", None, 2),
        ("{city}机电职业技术学院", "school", "{cp}jd.edu.cn", None, 2),
        ("{prov}理工学院", "school", "{cp}lg.edu.cn", None, 1),
        ("{city}市第{n}中等职业学校", "school", "{cp}zz{abbr}.edu.cn", None, 2),
        ("{prov}工程技术大学", "school", "{cp}gc.edu.cn", None, 1),
    ],
    "telecom": [
        ("中国移动通信集团{province}有限公司{city}分公司", "telecom", "{cp}.cmcc.example.cn", "nonmuni", 2),
        ("中国电信股份有限公司{city}分公司", "telecom", "{cp}.chinatelecom.example.cn", None, 2),
        ("{city}广电网络有限公司", "telecom", "{cp}gd.com", None, 1),
        ("{brand}{word}{suffix}", "enterprise", "{bp}.com", None, 3),
    ],
    "finance": [
        ("{city}农村商业银行股份有限公司", "finance", "{cp}rcb.com", None, 2),
        ("{brand}{word}{suffix}", "finance", "{bp}.com.cn", None, 3),
        ("{city}{brand}{word}{suffix}", "finance", "{bp}.com", None, 2),
    ],
    "retail": [
        ("{prov}{brand}{word}{suffix}", "enterprise", "{bp}.com", None, 3),
        ("{city}{brand}{word}{suffix}", "enterprise", "{bp}.com.cn", None, 3),
        ("{brand}{word}{suffix}", "enterprise", "{bp}.com", None, 2),
    ],
    "other": [
        ("{city}{brand}{word}{suffix}", "enterprise", "{bp}.com.cn", None, 3),
        ("{brand}{word}{suffix}", "enterprise", "{bp}.com", None, 2),
    ],
}

# The flagship account: a large manufacturer with a big org chart (org-chart testing).
FLAGSHIP = {
    "name": "江苏恒远精密制造集团股份有限公司",
    "city": "苏州",
    "industry": "manufacturing",
    "size": "10000+",
    "status": "active",
    "domain": "hengyuan-pm.example.com",
    "website": "https://www.hengyuan-pm.example.com",
    "description": "国内领先的精密零部件制造集团，在苏州、无锡、合肥设有六大生产基地，"
    "正在推进“智能工厂三年规划”，MES与APS为年度重点项目。",
}

# Org-chart templates. Each has roots (first is the top), an optional second-in-command
# ("gm", reports to the top), an optional second root, vice-level roles and departments:
# (department, head title, sub-lead title, staff titles, vice hint, focus weight).
# The focus weight says how much our sales team deals with the department.
ORG_TEMPLATES = {
    "enterprise": {
        "top": ("董事长", "董事会"),
        "gm": ("总经理", "总经理办公室"),
        "second_root": [("党委书记", "党委办公室"), ("监事会主席", "监事会"), ("董事会秘书", "董事会办公室")],
        "vices": [
            ("副总经理", "总经理办公室"),
            ("首席信息官（CIO）", "信息中心"),
            ("生产副总经理", "生产管理部"),
            ("财务总监", "财务部"),
            ("总工程师", "技术中心"),
            ("常务副总经理", "总经理办公室"),
            ("供应链副总经理", "供应链管理部"),
        ],
        "departments": [
            ("信息中心", "信息中心主任", "信息中心副主任", ["系统架构师", "IT运维工程师", "网络工程师", "数据分析师", "ERP实施顾问", "信息化专员"], "首席信息官（CIO）", 3.0),
            ("采购部", "采购部经理", "采购主管", ["采购专员", "采购工程师", "招标专员"], "供应链副总经理", 2.0),
            ("生产管理部", "生产部部长", "车间主任", ["生产计划主管", "工艺工程师", "班组长", "调度员", "精益专员"], "生产副总经理", 2.5),
            ("设备部", "设备部部长", "设备主管", ["设备工程师", "电气工程师", "自动化工程师", "维修技师"], "生产副总经理", 2.2),
            ("质量部", "质量部经理", "质量主管", ["质量工程师", "检验员", "体系专员"], "生产副总经理", 1.6),
            ("技术中心", "技术中心主任", "研发部经理", ["研发工程师", "结构工程师", "工艺工程师", "项目经理"], "总工程师", 1.5),
            ("财务部", "财务部经理", "财务主管", ["会计", "成本会计", "出纳"], "财务总监", 0.6),
            ("供应链管理部", "供应链管理部部长", "物流主管", ["仓储主管", "物流专员", "计划员"], "供应链副总经理", 1.2),
            ("安全环保部", "安全环保部部长", "安全主管", ["安全工程师", "环保专员"], "副总经理", 0.8),
            ("人力资源部", "人力资源部经理", "招聘主管", ["培训专员", "人事专员"], "副总经理", 0.3),
            ("市场部", "市场部经理", "市场主管", ["市场专员", "品牌经理"], "副总经理", 0.3),
            ("数字化转型办公室", "数字化转型办公室主任", "数字化项目经理", ["业务分析师", "数据工程师"], "首席信息官（CIO）", 2.8),
            ("总经理办公室", "办公室主任", "行政主管", ["行政专员", "总经理秘书"], None, 0.5),
        ],
    },
    "grid": {
        "top": ("总经理", "公司领导"),
        "gm": None,
        "second_root": [("党委书记", "党委办公室")],
        "vices": [
            ("副总经理", "公司领导"),
            ("总工程师", "公司领导"),
            ("总会计师", "公司领导"),
            ("副总经理（分管数字化）", "公司领导"),
        ],
        "departments": [
            ("科技数字化部", "科技数字化部主任", "科技数字化部副主任", ["信息专责", "数据专责", "网络安全专责", "高级工程师"], "副总经理（分管数字化）", 3.0),
            ("运维检修部", "运维检修部主任", "运维检修部副主任", ["设备专责", "检修专责", "高级工程师", "工程师"], "总工程师", 2.4),
            ("调度控制中心", "调度控制中心主任", "调度控制中心副主任", ["调度员", "自动化专责", "运行方式专责"], "总工程师", 1.8),
            ("物资部", "物资部主任", "物资供应中心副主任", ["采购专责", "仓储专责", "招标专责"], "副总经理", 2.0),
            ("营销部（客户服务中心）", "营销部主任", "营销部副主任", ["计量专责", "客户服务专责", "用电检查专责"], "副总经理", 1.2),
            ("安全监察部", "安全监察部主任", "安全监察部副主任", ["安全专责", "应急专责"], "副总经理", 1.0),
            ("发展策划部", "发展策划部主任", "发展策划部副主任", ["规划专责", "项目管理专责"], "副总经理", 1.0),
            ("财务资产部", "财务资产部主任", "财务资产部副主任", ["预算专责", "资产专责"], "总会计师", 0.5),
            ("办公室", "办公室主任", "办公室副主任", ["秘书", "综合专责"], None, 0.4),
        ],
    },
    "government": {
        "top": ("局长", "局领导"),
        "gm": None,
        "second_root": [("党组书记", "局领导")],
        "vices": [("副局长", "局领导"), ("副局长", "局领导"), ("总工程师", "局领导"), ("二级巡视员", "局领导")],
        "departments": [
            ("科技信息化处", "科技信息化处处长", "科技信息化处副处长", ["一级主任科员", "四级主任科员", "信息化工程师"], "副局长", 3.0),
            ("数据中心", "数据中心主任", "数据中心副主任", ["数据工程师", "系统管理员", "网络安全工程师"], "副局长", 2.6),
            ("办公室", "办公室主任", "办公室副主任", ["科员", "文秘"], None, 0.8),
            ("规划财务处", "规划财务处处长", "规划财务处副处长", ["科员", "会计"], "副局长", 1.2),
            ("行业管理处", "行业管理处处长", "行业管理处副处长", ["一级主任科员", "科员"], "副局长", 1.0),
            ("安全监督处", "安全监督处处长", "安全监督处副处长", ["科员", "安全监管员"], "总工程师", 1.0),
            ("政策法规处", "政策法规处处长", "政策法规处副处长", ["科员"], "副局长", 0.4),
        ],
    },
    "hospital": {
        "top": ("院长", "院领导"),
        "gm": None,
        "second_root": [("党委书记", "党委办公室")],
        "vices": [("副院长（分管信息化）", "院领导"), ("副院长", "院领导"), ("总会计师", "院领导")],
        "departments": [
            ("信息科", "信息科科长", "信息科副科长", ["系统工程师", "网络管理员", "数据分析师"], "副院长（分管信息化）", 3.0),
            ("设备科", "设备科科长", "设备科副科长", ["设备工程师", "维修工程师"], "副院长", 2.0),
            ("采购中心", "采购中心主任", "采购中心副主任", ["采购专员", "招标专员"], "总会计师", 2.0),
            ("后勤保障处", "后勤保障处处长", "后勤保障处副处长", ["能源管理员", "工程师"], "副院长", 1.4),
            ("医务处", "医务处处长", "医务处副处长", ["医务专员", "质控专员"], "副院长", 0.6),
            ("财务处", "财务处处长", "财务处副处长", ["会计", "出纳"], "总会计师", 0.5),
        ],
    },
    "school": {
        "top": ("校长", "校领导"),
        "gm": None,
        "second_root": [("党委书记", "党委办公室")],
        "vices": [("副校长（分管教学）", "校领导"), ("副校长", "校领导"), ("总会计师", "校领导")],
        "departments": [
            ("智能制造学院", "智能制造学院院长", "智能制造学院副院长", ["教授", "副教授", "讲师", "实验师", "实训中心主任"], "副校长（分管教学）", 3.0),
            ("网络与信息中心", "网络与信息中心主任", "网络与信息中心副主任", ["系统工程师", "网络工程师"], "副校长", 2.2),
            ("资产与实验室管理处", "资产与实验室管理处处长", "资产与实验室管理处副处长", ["实验室管理员", "资产专员"], "副校长", 2.0),
            ("采购与招标管理中心", "采购与招标管理中心主任", "采购与招标管理中心副主任", ["采购专员"], "总会计师", 1.8),
            ("教务处", "教务处处长", "教务处副处长", ["教务员", "教学秘书"], "副校长（分管教学）", 1.0),
            ("财务处", "财务处处长", "财务处副处长", ["会计"], "总会计师", 0.4),
        ],
    },
    "telecom": {
        "top": ("总经理", "公司领导"),
        "gm": None,
        "second_root": [("党委书记", "党委办公室")],
        "vices": [("副总经理（分管政企）", "公司领导"), ("副总经理", "公司领导"), ("总工程师", "公司领导")],
        "departments": [
            ("政企客户部", "政企客户部总经理", "政企客户部副总经理", ["客户经理", "解决方案经理", "行业总监"], "副总经理（分管政企）", 3.0),
            ("网络部", "网络部总经理", "网络部副总经理", ["网络工程师", "传输工程师"], "总工程师", 1.6),
            ("IT支撑中心", "IT支撑中心主任", "IT支撑中心副主任", ["系统工程师", "开发工程师"], "总工程师", 1.6),
            ("采购部", "采购部总经理", "采购部副总经理", ["采购经理", "招标专员"], "副总经理", 1.6),
            ("市场部", "市场部总经理", "市场部副总经理", ["产品经理", "市场经理"], "副总经理", 0.8),
        ],
    },
    "finance": {
        "top": ("董事长", "董事会"),
        "gm": ("行长", "行领导"),
        "second_root": [("党委书记", "党委办公室"), ("监事长", "监事会")],
        "vices": [("副行长", "行领导"), ("首席信息官（CIO）", "金融科技部"), ("首席风险官", "风险管理部")],
        "departments": [
            ("金融科技部", "金融科技部总经理", "金融科技部副总经理", ["系统架构师", "开发工程师", "数据工程师", "项目经理"], "首席信息官（CIO）", 3.0),
            ("风险管理部", "风险管理部总经理", "风险管理部副总经理", ["风控经理", "模型专员"], "首席风险官", 1.2),
            ("公司金融部", "公司金融部总经理", "公司金融部副总经理", ["客户经理", "产品经理"], "副行长", 1.5),
            ("运营管理部", "运营管理部总经理", "运营管理部副总经理", ["运营专员"], "副行长", 0.8),
            ("集中采购中心", "集中采购中心主任", "集中采购中心副主任", ["采购专员"], "副行长", 1.8),
            ("计划财务部", "计划财务部总经理", "计划财务部副总经理", ["会计", "预算专员"], "副行长", 0.4),
        ],
    },
}

CONTACT_NOTES = [
    "毕业于浙江大学自动化专业，技术出身，关注系统稳定性。",
    "喜欢打羽毛球，周末常在公司附近的球馆活动。",
    "曾在外资企业工作多年，重视项目管理规范。",
    "对国产化替代比较关注，倾向选择本土厂商。",
    "决策谨慎，习惯先看标杆案例再表态。",
    "与竞争对手的销售关系较好，需要重点经营。",
    "刚从集团总部调任，正在熟悉业务。",
    "负责年度信息化预算编制。",
    "参与过上一期ERP项目的选型和实施。",
    "习惯微信沟通，电话经常不接。",
    "明年可能晋升，是潜在的关键决策人。",
    "对价格敏感，关注总体拥有成本。",
    "西安交通大学机械工程硕士，喜欢钓鱼。",
    "关注安全生产指标，对事故追溯功能很感兴趣。",
]

ACCOUNT_INITIATIVES = [
    "数字化车间建设",
    "智能工厂二期规划",
    "设备物联网改造",
    "质量追溯体系升级",
    "MES系统选型",
    "能耗双控与碳排放管理",
    "工业互联网平台建设",
    "生产计划与排程优化",
    "仓储物流自动化改造",
    "安全生产信息化平台建设",
    "信创国产化替代",
    "数据治理与数据中台建设",
]

ACCOUNT_DESCRIPTIONS = [
    "{city}地区重点{industry}单位，正在推进{initiative}。",
    "年营收稳步增长，今年信息化预算向{initiative}倾斜。",
    "与我司已有初步接触，关注{initiative}，预计下半年启动招标。",
    "老客户，已上线我司部分产品，计划开展{initiative}。",
    "{city}市重点培育企业，计划三年内完成{initiative}。",
    "",
]

INDUSTRY_CN = {
    "government": "政府",
    "energy": "能源",
    "manufacturing": "制造",
    "automotive": "汽车",
    "finance": "金融",
    "healthcare": "医疗",
    "education": "教育",
    "transport": "交通物流",
    "telecom": "通信",
    "construction": "建筑",
    "retail": "消费品",
    "other": "",
}

# Activity kinds with realistic weights (keys are ActivityKindChoices values).
ACTIVITY_KIND_WEIGHTS = {
    "call": 30,
    "email": 18,
    "meeting": 15,
    "visit": 17,
    "technical_exchange": 9,
    "executive_meeting": 4,
    "reference_visit": 3,
    "other": 4,
}

# Number of participants per kind: list of (count, weight).
PARTICIPANT_COUNTS = {
    "call": [(1, 9), (2, 1)],
    "email": [(1, 5), (2, 3), (3, 2)],
    "meeting": [(1, 2), (2, 4), (3, 3), (4, 2)],
    "visit": [(1, 5), (2, 4), (3, 1)],
    "technical_exchange": [(2, 3), (3, 4), (4, 3)],
    "executive_meeting": [(1, 6), (2, 3)],
    "reference_visit": [(2, 4), (3, 3), (4, 2)],
    "other": [(1, 6), (2, 2)],
}

ACTIVITY_SUBJECTS = {
    "call": [
        "电话沟通{product}项目进展",
        "电话确认需求调研时间",
        "电话跟进报价反馈",
        "预约{contact}拜访时间",
        "电话了解{dept}预算安排",
        "电话沟通招标时间节点",
        "电话回访系统使用情况",
    ],
    "email": [
        "发送{product}技术方案",
        "邮件发送报价单及配置清单",
        "发送{product}行业案例资料",
        "会议纪要邮件确认",
        "发送POC测试计划",
        "发送合同草案供法务审阅",
    ],
    "meeting": [
        "{product}需求调研会",
        "项目启动会",
        "{dept}业务流程梳理会",
        "方案评审会",
        "商务谈判会",
        "实施计划沟通会",
        "阶段验收汇报会",
    ],
    "visit": [
        "拜访{contact}，介绍{product}",
        "上门拜访{dept}",
        "现场走访生产车间",
        "节前拜访{contact}",
        "陪同售前拜访{dept}",
        "拜访{contact}，了解年度信息化规划",
    ],
    "technical_exchange": [
        "{product}技术交流会",
        "{product}产品演示（POC）",
        "与{dept}进行系统集成技术交流",
        "数据接口方案研讨",
        "{product}架构与部署方案交流",
    ],
    "reference_visit": [
        "组织参观{ref}{product}样板工程",
        "赴标杆客户{ref}现场考察",
        "陪同客户参观{ref}智能工厂",
    ],
    "executive_meeting": [
        "高层会晤：{our_exec}拜会{contact}",
        "双方高层战略合作交流",
        "年度战略合作会谈",
        "{contact}来访{company}总部",
    ],
    "other": [
        "邀请{contact}参加{company}用户大会",
        "参加{city}智能制造行业峰会",
        "节日问候",
        "协助客户准备信息化项目申报材料",
    ],
}

OUR_EXECS = ["我司总裁", "我司副总裁", "我司CTO", "华东区总经理", "华西区总经理"]

NOTE_OPENINGS = {
    "call": ["电话沟通约二十分钟。", "简短电话沟通。", "客户主动来电。", "电话沟通顺利。"],
    "email": ["已按客户要求发送资料。", "邮件已发送，客户回复已收到。", "按约定发送邮件。"],
    "meeting": ["会议在客户会议室召开，约两小时。", "线上会议，双方共八人参加。", "会议按议程进行。"],
    "visit": ["上门拜访，交流约一小时。", "现场拜访，客户安排参观了车间。", "拜访顺利，客户态度积极。"],
    "technical_exchange": ["售前工程师现场演示产品。", "技术交流半天，客户提问较多。", "进行了系统演示和问答。"],
    "reference_visit": ["客户一行参观了样板工程，整体反馈良好。", "参观标杆现场，样板客户分享了实施经验。"],
    "executive_meeting": ["双方高层会面，气氛融洽。", "高层会晤约一小时，就长期合作交换了意见。"],
    "other": ["活动现场交流。", "顺带沟通了近期工作。"],
}

NOTE_FINDINGS = [
    "客户目前用Excel排产，计划员工作量大，插单频繁。",
    "现有ERP为用友U8，需要与MES做接口对接。",
    "设备联网率不足三成，数据采集主要靠人工填报。",
    "客户关注质量追溯，去年出现过批量退货。",
    "预算已列入年度计划，金额约三百万元。",
    "竞争对手已做过两次演示，报价比我们低约15%。",
    "信息中心人手紧张，希望厂商提供驻场运维。",
    "集团要求下属工厂统一平台，决策在集团层面。",
    "客户对国产化和信创适配有明确要求。",
    "生产部对系统易用性顾虑较大，担心一线工人不会用。",
    "采购流程需走公开招标，预计周期三个月。",
    "客户希望先做一个车间试点，再全面推广。",
    "能耗指标考核压力大，领导层很重视。",
    "对方提出需要本地化部署并通过等保三级。",
    "客户对我们的标杆案例很感兴趣，希望实地参观。",
    "关键决策人对方案表示认可，但要求压缩工期。",
]

NOTE_NEXT_STEPS = [
    "下周提交初版方案。",
    "约定月底前安排POC测试。",
    "需安排售前准备定制化演示。",
    "待客户内部立项后再跟进商务。",
    "下次拜访带上实施顾问。",
    "请{contact}引荐分管领导。",
    "整理会议纪要并发给客户确认。",
    "准备报价并申请特价审批。",
    "协调标杆客户参观时间。",
    "持续跟进，下月再约。",
]
