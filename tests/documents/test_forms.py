"""Every official form, rendered for the demo cases: content, GB/T 9704 geometry, fonts, a PNG.

The PDFs are rendered once per session (conftest.py); each test reads them. The
first page of each is kept as tests/artifacts/<form>.png for a human to look at.
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from documents import document_names
from documents.environment import render_html
from documents.forms import FORMS
from documents.issue import form_inputs

from ..conftest import ARTIFACTS
from .conftest import Rendered
from .pdfcheck import A4
from .pdfcheck import LEFT
from .pdfcheck import LINE
from .pdfcheck import RIGHT
from .pdfcheck import TOP
from .pdfcheck import first_page_png
from .pdfcheck import fonts
from .pdfcheck import geometry
from .pdfcheck import page_texts
from .pdfcheck import text

PERSON = ["林文博"]
EXPECTED: dict[str, list[str]] = {
    "appointment_approval_form": [
        "干部任免审批表", "姓名", "林文博", "男", "1978.03", "（48岁）", "汉族", "浙江宁波", "2001.06", "2000.07",
        "健康", "高级经济师", "财政管理、预算绩效", "经济学学士", "浙江大学经济学院财政学专业", "经济学硕士",
        "中共浙江省委党校经济学专业", "现任职务市财政局预算处处长", "拟任职务市财政局副局长",
        "拟免职务市财政局预算处处长", "2000.07--2006.03市财政局预算处科员", "2018.01--市财政局预算处处长",
        "2019年度被评为全市优秀共产党员", "2023年度优秀，2024年度称职，2025年度优秀", "市财政局副局长职位空缺",
        "妻子何晓燕1980.05（46岁）中共党员市第一人民医院主治医师", "母亲陈秀英1952.11（74岁）群众已退休",
        "中共××市委组织部", "经市委常委会第25次会议", "2026年11月5日",
        "填表人：张明", "计算年龄时间：2026年11月5日",
    ],
    "pre_appointment_notice": [
        "干部任前公示", "各单位：", "市委常委会第25次会议（2026年11月5日）研究",
        "林文博，男，汉族，1978.03生，浙江宁波人", "拟任市财政局副局长（试用期一年）",
        "公示时间：2026年11月9日至2026年11月13日（不少于5个工作日）", "举报电话：0574-12380",
        "12380@example.gov.cn", "市行政中心1号楼市委组织部干部监督科", "2026年11月9日",
    ],
    "decision_record": [
        "讨论决定情况记录", "市委常委会第25次会议", "2026年11月5日", "林文博同志任市财政局副局长",
        "11人", "10人", "1人", "同意", "8票", "不同意", "0票", "缓议", "1票",
        "三分之二以上须8人", "回避1人不", "计入到会9人", "即至少6票", "意8票，符合规定", "表决结果通过",
        "《党政领导干部选拔任用工作条例》第四十七条", "记录人：李建国",
    ],
    "appointment_notice": [
        "甬委干〔2026〕25号", "关于林文博同志任职的通知", "市财政局党组（党委）：", "市委常委会第25次会议",
        "林文博同志任市财政局副局长（试用期一年），免去其市财政局预算处处长职务。", "2026年11月16日",
    ],
    "signed_recommendation_form": [
        "领导干部署名推荐表", "受理登记号：署荐20260001", "推荐人赵志刚", "市发展改革委党组书",
        "同事", "很了解", "定向推荐（推荐到具体职", "推荐职位市财政局副局长", "该同志政治立场坚定",
        "统筹协调能力强", "长期坚守预算编制一线", "全市项目支出绩效目标覆盖率达", "压减一般性支出1.2亿元",
        "主要缺点", "对年轻干部传帮带还需加强", "未发现违反廉洁自律规定的问题", "本人对推荐内容的真实性负责",
    ],
    "registration_receipt": [
        "受理登记回执", "赵志刚同志：", "受理登记号：署荐20260001", "2026年11月10日收到", "林文博同志",
        "推荐职位：市财政局副局长", "谁推荐谁负责", "经办人张明",
    ],
    "interview_record": [
        "集体面谈记录表", "面谈对象：林文博", "市财政局副局长人选任前考察", "2026年11月20日09:30",
        "市委组织部第三会议室", "时长60分钟", "主持人：孙丽", "政治素质", "履职能力", "担当作为", "工作作风",
        "廉洁自律", "孙丽9290889195", "郑浩7880828490", "计算结果899089.6788.679490.27", "面谈结论好",
        "去掉一个最高分和一个最低分后取平均", "对基层情况的了解还需进一步加强",
    ],
    "daily_inspection_record": [
        "日常考察记实表", "记实周期：2026年度", "林文博", "2026年11月2日", "谈心谈话", "列席会议", "调研走访",
        "第1次记实", "第3次记实", "综合日常了解情况", "日常表现好，可进一步使用", "日常表现等次：好", "李建国",
    ],
    "special_inspection_report": [
        "关于林文博同志的专项考察报告", "组长：刘洋", "重大项目", "2026年全市重大项目资金保障专项工作",
        "个别谈话", "与项目单位负责人谈话8人次", "查阅资料", "保障了32个重大项目按期推进", "表现评价：担当作为",
        "考察结论：好", "建议在干部选拔任用中优先考虑", "考察组成员签名：刘洋黄磊", "审定意见：同意考察组意见",
    ],
    "inspection_notice": [
        "干部考察预告", "市财政局机关全体干部：", "决定对林文博同志进行任前考察", "拟任市财政局副局长",
        "组长刘洋，成员刘洋、黄磊", "本预告发布1个工作日后开始考察", "预告方式：书面通知", "0574-12380",
        "2026年10月19日",
    ],
    "inspection_material": [
        "林文博同志考察材料", "林文博，男，汉族，1978.03生，浙江宁波人", "主要表现", "主要缺点和不足",
        "有时工作要求急了一些", "发出测评票60张，收回58张，有效票57张", "优秀41票（71.9%）", "称职14票（24.6%）",
        "占有效票的96.5%", "个别谈话36人", "干部人事档案审核（凡提必审）：通过",
        "个人有关事项报告查核（凡提必核）：一致",
        "纪检监察机关党风廉政意见（凡提必听）：无问题", "信访举报核查（凡提必查）：无", "周海涛", "马宏伟",
        "建议任市财政局副局长", "考察组：刘洋黄磊",
    ],
    "recommendation_stats": [
        "民主推荐情况统计表", "推荐方式会议推荐", "2026年10月14日", "应参加人数60", "纸质推荐票，人工计票",
        "林文博（拟任人选）",
    ],
    "democratic_evaluation_stats": [
        "民主测评结果统计表", "测评对象：林文博", "2026年10月22日", "统计人刘洋", "张（人）数60585736",
        "票数411420", "占有效票71.9%24.6%3.5%0.0%", "优秀率71.9%", "96.5%（55",
    ],
    "comprehensive_evaluation_form": [
        "干部综合评定表", "评定事由：2026年度综合评定", "林文博", "日常考察", "专项考察", "任前考察",
        "2025年度：优秀；2024年度：称职；2023年度：优秀", "相互印证", "评定等次优秀", "干部画像",
        "熟悉财政业务", "基层工作经历相对较少", "李建国：同意。", "王卫东：同意评定为优秀。",
    ],
    "tolerance_application": [
        "容错纠错申请表", "申请人：所在单位（市财政局党组）", "林文博", "部分项目资金调剂未及时报",
        "2026年11月2日", "2026年11月4日", "属先行先试中的无意过失", "5个工作日内提出", "录入人：张明",
    ],
    "tolerance_decision": [
        "容错纠错认定书", "容认〔2026〕8号", "市财政局党组于2026年11月4日为林文博同志", "基本事实", "动机态度",
        "挽回损失：已补办备案手续", "三个区分开来", "违反政治纪律和政治规矩（否）", "违反中央八项规定精神（否）",
        "谋取私利或利益输送（否）", "明知故犯（主观故意）（否）", "不作为、乱作为（否）", "不存在负面清单情形",
        "市委组织部部务会于2026年11月12日集体研究，应到会9人，实到会8人", "同意7票", "至少需5票",
        "认定结果：予以从轻处理", "影响期自2026年11月12日至2027年5月11日", "1个月内提出申诉",
    ],
    "notification_letter": [
        "容错纠错认定结果告知书", "林文博同志：", "部分项目资金调剂未及时报备一事",
        "经市委组织部部务会于2026年11月12日集体研究", "认定对你予以从轻处理", "自收到本告知书之日起1个月内", "特此告知",
        "告知方式：当面送达", "2026年11月16日", "签收人",
    ],
}
PAGES = {"appointment_approval_form": 2}


def test_every_catalog_form_has_expectations() -> None:
    assert sorted(EXPECTED) == sorted(document_names())


@pytest.mark.parametrize("name", document_names())
def test_form_text_has_the_content_and_the_values(rendered: Rendered, name: str) -> None:
    body = text(rendered.pdfs[name])
    missing = [s for s in EXPECTED[name] + PERSON if s not in body]
    assert missing == [], f"{name}: missing {missing}\n{body}"


@pytest.mark.parametrize("name", document_names())
def test_form_is_a4_and_the_body_starts_at_the_gbt9704_margins(rendered: Rendered, name: str) -> None:
    g = geometry(rendered.pdfs[name])
    assert (round(g.width, 2), round(g.height, 2)) == A4
    assert TOP - 0.5 <= g.first_top <= TOP + LINE, f"first body character {g.first_char!r} at {g.first_top:.1f} mm"
    assert abs(g.left - LEFT) <= 1.0, f"body starts {g.left:.1f} mm from the left edge"
    assert g.right <= 210 - RIGHT + 1.0, f"body reaches {g.right:.1f} mm"
    assert g.bottom <= 297 - 35 + 1.0, f"body reaches down to {g.bottom:.1f} mm"


@pytest.mark.parametrize("name", document_names())
def test_form_page_number_sits_below_the_type_area_on_the_right_of_odd_pages(rendered: Rendered,
                                                                            name: str) -> None:
    g = geometry(rendered.pdfs[name])
    assert "—1—" in page_texts(rendered.pdfs[name])[0]
    assert 297 - 35 + 5 <= g.number_top <= 297 - 35 + 12, g.number_top
    assert 210 - RIGHT - 12 <= g.number_x1 <= 210 - RIGHT, g.number_x1


def test_even_pages_carry_their_number_on_the_left(rendered: Rendered) -> None:
    g = geometry(rendered.pdfs["appointment_approval_form"], page_no=1)
    assert "—2—" in page_texts(rendered.pdfs["appointment_approval_form"])[1]
    assert LEFT <= g.number_x0 <= LEFT + 12, g.number_x0


@pytest.mark.parametrize("name", document_names())
def test_form_embeds_a_cjk_font(rendered: Rendered, name: str) -> None:
    found = fonts(rendered.paths[name])
    cjk = [n for n, emb in found if emb and any(k in n for k in ("仿宋", "NotoSerifCJK", "NotoSansCJK",
                                                                  "FangSong", "小标宋"))]
    assert cjk, found
    assert all(emb for _, emb in found), found


@pytest.mark.parametrize("name", document_names())
def test_form_metadata_and_page_count(rendered: Rendered, name: str) -> None:
    reader = PdfReader(io.BytesIO(rendered.pdfs[name]))
    meta = reader.metadata
    assert meta is not None
    assert meta.title is not None and meta.title.startswith(FORMS[name].title)
    assert meta.author == "组织部"
    assert meta.creation_date is not None
    assert len(reader.pages) == PAGES.get(name, len(reader.pages))
    assert len(reader.pages) <= 2


@pytest.mark.parametrize("name", document_names())
def test_form_first_page_png_is_kept_as_an_artifact(rendered: Rendered, name: str) -> None:
    png = first_page_png(rendered.paths[name], ARTIFACTS / f"{name}.png")
    assert png.stat().st_size > 10_000
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_appointment_form_prints_the_fields_of_domain_reference_5_4_in_order(rendered: Rendered) -> None:
    """The form's source order is the print order of domain-reference §5.4 (HTML level: the PDF
    text of a multi-line table row interleaves its cells)."""
    case_id = rendered.demo.cases["appointment_approval_form"]
    record = rendered.engine.case_record(case_id, rendered.demo.actors["off"])
    form = FORMS["appointment_approval_form"]
    html = render_html(form.template, form.build(form_inputs(rendered.engine, record, form.name)))
    plain = re.sub(r"<[^>]+>|\s+", "", html.split("<body", 1)[1])
    order = ["姓名", "林文博", "性别", "男", "出生年月", "1978.03", "照", "民族", "汉族", "籍贯", "浙江宁波",
             "出生地", "入党", "2001.06", "参加工", "2000.07", "健康状况", "健康", "专业技", "高级经济师",
             "熟悉专业", "财政管理、预算绩效", "全日制", "经济学学士", "毕业院校", "浙江大学经济学院财政学专业",
             "在职", "经济学硕士", "中共浙江省委党校经济学专业", "现任职务", "市财政局预算处处长", "拟任职务",
             "市财政局副局长", "拟免职务", "简", "1996.09--2000.07", "奖", "2019年度被评为", "年度考",
             "2023年度优秀", "任", "市财政局副局长职位空缺", "家庭", "称谓", "姓名", "出生年月", "政治",
             "工作单位及职务", "何晓燕", "呈", "中共××市委组织部", "审", "经市委常委会第25次会议", "行政",
             "填表人"]
    at = 0
    for item in order:
        found = plain.find(item, at)
        assert found >= 0, f"{item!r} not found after position {at}: {plain[at:at + 80]}"
        at = found + len(item)
