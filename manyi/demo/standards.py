"""The demo's standards library: six steps of the after-sales cycle and about forty
standards a dealer group writes for them (hardware, process, people; basic, performance,
motivation), each with the survey items that measure it."""

from collections.abc import Callable

from manyi.improve.models import ServiceStep
from manyi.improve.services.fixes import fix_policy_set
from manyi.improve.services.standards import service_step_save, standard_create
from manyi.org.models import Staff

STEPS = [
    ("booking", "预约", "Booking"),
    ("reception", "接待", "Reception"),
    ("diagnosis", "诊断与报价", "Diagnosis and estimate"),
    ("repair", "维修作业", "Repair"),
    ("delivery", "交车", "Delivery"),
    ("follow-up", "回访", "Follow-up"),
]
# step, kind, class, standard, items
STANDARDS = [
    ("booking", "process", "basic", "预约电话三声之内接听", ["SI1"]),
    ("booking", "process", "performance", "按客户方便的时间预约，提供至少两个时段", ["SI1"]),
    ("booking", "process", "basic", "保养到期前 14 天发送提醒", []),
    ("booking", "people", "performance", "预约时确认车辆问题并记录", ["SI1"]),
    ("booking", "hardware", "performance", "线上预约入口随时可用", ["SI1"]),
    ("booking", "process", "motivation", "预约客户到店前一天短信确认并告知接待顾问", []),
    ("reception", "people", "basic", "客户到店 2 分钟内有人接待", ["SI2"]),
    ("reception", "people", "basic", "微笑问候并自我介绍", ["SA1"]),
    ("reception", "process", "basic", "当着客户的面铺好座椅套、方向盘套、脚垫（三件套）", ["SQ3"]),
    ("reception", "process", "performance", "环车检查并与客户确认车况", ["SA2"]),
    ("reception", "hardware", "performance", "接待区整洁、有明确指引", ["SF1"]),
    ("reception", "hardware", "performance", "休息区干净，座位充足", ["SF2", "SF3"]),
    ("reception", "hardware", "motivation", "休息区提供饮品、无线网络和充电", ["SF3"]),
    ("diagnosis", "process", "basic", "开工前向客户解释要做的项目", ["SA2"]),
    ("diagnosis", "process", "basic", "开工前给出书面报价并经客户确认", ["VP2"]),
    ("diagnosis", "process", "performance", "告知预计交车时间", ["VP1", "SQ1"]),
    ("diagnosis", "people", "performance", "服务顾问能回答客户的技术问题", ["SA2"]),
    ("diagnosis", "process", "basic", "追加项目先征得客户同意", ["VP2"]),
    ("diagnosis", "people", "motivation", "主动提醒客户近期将到期的保养项目", []),
    ("repair", "process", "basic", "一次修好：按规范诊断，修后路试", ["SQ2"]),
    ("repair", "process", "basic", "配件有库存或提前订好", ["SQ1"]),
    ("repair", "people", "performance", "技师持证上岗", ["SQ2"]),
    ("repair", "process", "performance", "进度有变化时主动告知客户", ["SQ1"]),
    ("repair", "hardware", "performance", "工位整洁，工具定置", []),
    ("repair", "process", "basic", "维修全程使用三件套，保护车内清洁", ["SQ3"]),
    ("repair", "process", "motivation", "客户可在休息区看到维修进度", ["SQ1"]),
    ("repair", "process", "performance", "作业完成后质检签字", ["SQ2"]),
    ("delivery", "process", "basic", "按约定时间交车", ["VP1"]),
    ("delivery", "process", "basic", "逐项解释结算单，费用与报价一致", ["VP2"]),
    ("delivery", "process", "performance", "交车前洗车、车内清洁", ["SQ3"]),
    ("delivery", "people", "performance", "陪同客户验车并解答问题", ["VP3"]),
    ("delivery", "process", "performance", "取下三件套，恢复座椅与后视镜位置", ["SQ3"]),
    ("delivery", "people", "motivation", "送客户到车旁并提醒下次保养时间", ["VP3"]),
    ("delivery", "hardware", "performance", "交车区有遮阳避雨", []),
    ("follow-up", "process", "basic", "三日内完成回访", []),
    ("follow-up", "process", "basic", "回访中发现的不满 24 小时内回应", []),
    ("follow-up", "people", "performance", "回访用语礼貌，先感谢后询问", []),
    ("follow-up", "process", "performance", "客户反映的问题建工单并跟踪到关闭", []),
    ("follow-up", "process", "motivation", "生日与节日关怀", []),
]
# Commitments published on a store's public page.
VISIBLE = {"开工前给出书面报价并经客户确认", "按约定时间交车", "三日内完成回访"}


def build_standards(log: Callable[[str], None]) -> None:
    log("Writing the service standards…")
    hq = Staff.objects.get(username="hq")
    for order, (code, name, name_en) in enumerate(STEPS, start=1):
        service_step_save(actor=hq, code=code, name=name, name_en=name_en, order=order)
    steps = {step.code: step for step in ServiceStep.objects.all()}
    for number, (step, kind, standard_class, title, items) in enumerate(STANDARDS, start=1):
        standard_create(
            actor=hq, step=steps[step], code=f"{step}-{number:02d}", kind=kind,
            standard_class=standard_class, title=title, items=items,
            customer_visible=title in VISIBLE,
        )  # fmt: skip
    log(f"  {len(STANDARDS)} standards over {len(STEPS)} steps")
    # The CSI questionnaire's nearest item to "fixed right first time".
    fix_policy_set(actor=hq, window_days=30, survey_item="SQ2")
