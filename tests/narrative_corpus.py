"""Report paragraphs in the ways committee offices receive them, each with the candidates a
person copying its figures by hand would write down (issue 15): a county's 工作总结, a
department's, a city's 中期评估自评报告 with its counties, text copied from a web page (broken
lines, a repeated title, stray pinyin), a report in traditional characters, a speech.

What a person writes down, and so what is expected:
- every value the report gives for a catalogue indicator, with the year and the region it is
  about (a county named in the sentence, else the report's);
- the year before's value of a change in points (比上年提高1.2个百分点), marked derived, and for
  each value in turn after 分别 (分别比上年提高1.2和0.8个百分点);
- a value written with 以上, 以下 or 左右 (the report's own figure, flagged for a second look);
- a figure a report states in its own clause for the country (全国婴儿死亡率为4.9‰) or for the
  region above its own (全区…，全市为11.3/10万), for that region;
- not: targets (到2025年…达到…), ranges (91%—93%), changes against a baseline year
  (较2020年下降…), comparisons with the country's or the province's average (高于全国平均水平
  1.2个百分点), changes in percent (增长0.5%), figures of no catalogue indicator (trainings,
  people reached, money).

Each entry: (name, region chosen or None, year chosen or None, report text, expected candidates as
(indicator code, value, unit as written, year, region, derived)).
"""
GUIGANG, GANGBEI, GANGNAN, QINTANG, PINGNAN, GUIPING = (
    "450800", "450802", "450803", "450804", "450821", "450881")
NATIONAL = "000000"

PARAGRAPHS = [
    ("county_summary_2022", None, None, """平南县2022年妇女儿童工作总结

一、妇女与健康
2022年，全县孕产妇住院分娩率达99.97%，系统管理率达93.6%，孕产妇死亡率为9.8/10万，较2020年下降3.1/10万。
适龄妇女宫颈癌和乳腺癌筛查率分别达到72.4%和68.9%，分别比上年提高1.2和0.8个百分点。
婚前医学检查率为78.5%，孕前优生健康检查目标人群覆盖率保持在95%以上。
二、儿童与健康
全县婴儿死亡率、5岁以下儿童死亡率分别为3.2‰、4.6‰，均低于全区平均水平。新生儿死亡率控制在1.9‰。
3岁以下儿童系统管理率与7岁以下儿童健康管理率分别为92.1%、94.3%。
今年以来，全县共举办家庭教育讲座56场，受益家长1.2万人次，新建儿童之家12个。
""", [
        ("hospital_delivery_rate", 99.97, "%", 2022, PINGNAN, False),
        ("maternal_systematic_management_rate", 93.6, "%", 2022, PINGNAN, False),
        ("maternal_mortality_ratio", 9.8, "1/10万", 2022, PINGNAN, False),
        ("cervical_cancer_screening_rate", 72.4, "%", 2022, PINGNAN, False),
        ("breast_cancer_screening_rate", 68.9, "%", 2022, PINGNAN, False),
        ("cervical_cancer_screening_rate", 71.2, "%", 2021, PINGNAN, True),
        ("breast_cancer_screening_rate", 68.1, "%", 2021, PINGNAN, True),
        ("premarital_medical_exam_rate", 78.5, "%", 2022, PINGNAN, False),
        ("prepregnancy_check_coverage", 95.0, "%", 2022, PINGNAN, False),
        ("infant_mortality_rate", 3.2, "‰", 2022, PINGNAN, False),
        ("under5_mortality_rate", 4.6, "‰", 2022, PINGNAN, False),
        ("neonatal_mortality_rate", 1.9, "‰", 2022, PINGNAN, False),
        ("under3_systematic_management_rate", 92.1, "%", 2022, PINGNAN, False),
        ("under7_health_management_rate", 94.3, "%", 2022, PINGNAN, False),
        ("children_homes_count", 12.0, "个", 2022, PINGNAN, False),
    ]),
    ("health_department_2023", GANGBEI, None, """港北区卫生健康局2023年妇幼健康工作总结

2023年，我局认真落实“两纲”卫生健康目标任务。全区产前检查率为97.2%，产前筛查率为86.4%，较上年下降1.3个百分点，主要原因是部分乡镇卫生院服务能力不足。产后访视率、新生儿访视率分别为95.1%、96.3%。
低出生体重发生率为3.1%，0～6个月婴儿纯母乳喂养率达到52.6%。5岁以下儿童贫血患病率为6.8%，生长迟缓率1.9%，低体重率1.3%。
新生儿先天性甲状腺功能减低症筛查率及新生儿苯丙酮尿症筛查率分别为98.6%及98.4%，适龄儿童免疫规划疫苗接种率均保持在90%以上。
全年开展妇幼健康培训18期，培训基层人员1,260人次，投入项目资金350万元。
""", [
        ("antenatal_care_rate", 97.2, "%", 2023, GANGBEI, False),
        ("prenatal_screening_rate", 86.4, "%", 2023, GANGBEI, False),
        ("prenatal_screening_rate", 87.7, "%", 2022, GANGBEI, True),
        ("postpartum_visit_rate", 95.1, "%", 2023, GANGBEI, False),
        ("newborn_visit_rate", 96.3, "%", 2023, GANGBEI, False),
        ("low_birth_weight_rate", 3.1, "%", 2023, GANGBEI, False),
        ("exclusive_breastfeeding_rate", 52.6, "%", 2023, GANGBEI, False),
        ("under5_anaemia_rate", 6.8, "%", 2023, GANGBEI, False),
        ("under5_stunting_rate", 1.9, "%", 2023, GANGBEI, False),
        ("under5_underweight_rate", 1.3, "%", 2023, GANGBEI, False),
        ("neonatal_ch_screening_rate", 98.6, "%", 2023, GANGBEI, False),
        ("neonatal_pku_screening_rate", 98.4, "%", 2023, GANGBEI, False),
        ("immunisation_coverage_rate", 90.0, "%", 2023, GANGBEI, False),
    ]),
    ("city_midterm_self_evaluation_2025", None, None, """贵港市儿童发展规划（2021—2030年）中期评估自评报告

（一）儿童与健康。2025年，全市婴儿死亡率和5岁以下儿童死亡率分别为3.05‰和4.21‰，孕产妇死亡率降至8.9/10万，已提前实现规划目标。其中，平南县婴儿死亡率为2.9‰，桂平市为3.3‰。
（二）儿童与教育。全市学前教育毛入园率达到92.6%，比上年提高2.1个百分点；普惠性幼儿园覆盖率达85.3%，九年义务教育巩固率为96.8%，高中阶段毛入学率为91.5%，较2020年提高4.5个百分点。到2030年，全市高中阶段毛入学率达到95%以上。
（三）儿童与福利。全市共建成城乡社区儿童之家1,215个，覆盖率达到93.4%；每个街道、乡镇配备的专兼职儿童社会工作者数为2人。
（四）儿童与家庭。城市社区建立家长学校或家庭教育指导服务站点的比例达92%，农村社区（村）建立家长学校或家庭教育指导服务站点的比例达81.5%。
""", [
        ("infant_mortality_rate", 3.05, "‰", 2025, GUIGANG, False),
        ("under5_mortality_rate", 4.21, "‰", 2025, GUIGANG, False),
        ("maternal_mortality_ratio", 8.9, "1/10万", 2025, GUIGANG, False),
        ("infant_mortality_rate", 2.9, "‰", 2025, PINGNAN, False),
        ("infant_mortality_rate", 3.3, "‰", 2025, GUIPING, False),
        ("preschool_gross_enrolment_rate", 92.6, "%", 2025, GUIGANG, False),
        ("preschool_gross_enrolment_rate", 90.5, "%", 2024, GUIGANG, True),
        ("inclusive_kindergarten_coverage", 85.3, "%", 2025, GUIGANG, False),
        ("nine_year_retention_rate", 96.8, "%", 2025, GUIGANG, False),
        ("senior_secondary_gross_enrolment_rate", 91.5, "%", 2025, GUIGANG, False),
        ("children_homes_count", 1215.0, "个", 2025, GUIGANG, False),
        ("share_communities_with_children_home", 93.4, "%", 2025, GUIGANG, False),
        ("child_social_workers_per_township", 2.0, "人", 2025, GUIGANG, False),
        ("parent_school_share_urban", 92.0, "%", 2025, GUIGANG, False),
        ("parent_school_share_rural", 81.5, "%", 2025, GUIGANG, False),
    ]),
    ("women_midterm_self_evaluation_2025", GUIGANG, None, """贵港市妇女发展规划（2021—2030年）中期评估自评报告

妇女与经济方面，全市就业人员中的女性比例为43.8%，城镇单位就业人员中的女性比例达到41.2%，高级专业技术人员中的女性比例为38.6%。
妇女参与决策和管理方面，2025年全市村委会成员中女性比例达25.1%，居委会成员中女性比例为56.3%，村委会主任中女性比例为12.4%，比上年提高1.6个百分点。市人大代表中女性比例为28.5%，政协委员中女性比例为26.9%。
妇女与社会保障方面，妇女基本医疗保险参保率稳定在95%以上，女性参加基本养老保险人数达126.5万人，全市为困难妇女发放救助金860万元。
妇女与教育方面，高等教育在校生中女性比例为52.3%，15岁及以上女性文盲率下降到2.1%。
""", [
        ("female_share_employed", 43.8, "%", 2025, GUIGANG, False),
        ("female_share_urban_unit_employees", 41.2, "%", 2025, GUIGANG, False),
        ("female_share_senior_professionals", 38.6, "%", 2025, GUIGANG, False),
        ("female_share_village_committee", 25.1, "%", 2025, GUIGANG, False),
        ("female_share_residents_committee", 56.3, "%", 2025, GUIGANG, False),
        ("female_share_village_committee_chairs", 12.4, "%", 2025, GUIGANG, False),
        ("female_share_village_committee_chairs", 10.8, "%", 2024, GUIGANG, True),
        ("female_share_congress_deputies", 28.5, "%", 2025, GUIGANG, False),
        ("female_share_cppcc_members", 26.9, "%", 2025, GUIGANG, False),
        ("female_medical_insurance_rate", 95.0, "%", 2025, GUIGANG, False),
        ("female_share_higher_education_students", 52.3, "%", 2025, GUIGANG, False),
        ("female_illiteracy_rate_15plus", 2.1, "%", 2025, GUIGANG, False),
    ]),
    ("web_copy_broken_lines_2021", None, None, """覃塘区2021年度妇女儿童发展规划监测统计报告
覃塘区2021年度妇女儿童发展规划监测统计报告
fā bù shí jiān：2022-03-15  来源：覃塘区妇儿工委办
2021年，全区孕产妇住院分娩率达到99.95%，孕产妇系统管理率为91.8%，孕产
妇死亡率为0，连续3年保持孕产妇零死亡。全区婴儿死亡率为
3.62‰，比上年下降0.41个千分点；5岁以下儿童死亡率为4.85‰。
全区学前三年毛入园率为89.7%，九年义务教育巩固率为95.2%，比上年增长0.6%；高中阶段毛
入学率为88.1%。农村自来水普及率、农村卫生厕所普及率分别提高到92.3%和85.6%。
""", [
        ("hospital_delivery_rate", 99.95, "%", 2021, QINTANG, False),
        ("maternal_systematic_management_rate", 91.8, "%", 2021, QINTANG, False),
        ("maternal_mortality_ratio", 0.0, "", 2021, QINTANG, False),
        ("infant_mortality_rate", 3.62, "‰", 2021, QINTANG, False),
        ("infant_mortality_rate", 4.03, "‰", 2020, QINTANG, True),
        ("under5_mortality_rate", 4.85, "‰", 2021, QINTANG, False),
        ("preschool_gross_enrolment_rate", 89.7, "%", 2021, QINTANG, False),
        ("nine_year_retention_rate", 95.2, "%", 2021, QINTANG, False),
        ("senior_secondary_gross_enrolment_rate", 88.1, "%", 2021, QINTANG, False),
        ("rural_tap_water_rate", 92.3, "%", 2021, QINTANG, False),
        ("rural_sanitary_toilet_rate", 85.6, "%", 2021, QINTANG, False),
    ]),
    ("traditional_web_copy_2023", None, None, """桂平市2023年婦女兒童工作總結

2023年，全市孕產婦死亡率為11.6/10萬，嬰兒死亡率為3.9‰，5歲以下兒童死亡率為5.2‰，均低於規劃目標。
全市適齡婦女宮頸癌篩查率為65.2%，乳腺癌篩查率為63.8%，婦女常見病篩查率達到84.5%。
學前教育毛入園率達91.2%，比上年提高1.5個百分點；義務教育鞏固率為94.6%。
全市共建成兒童之家386個，市婦聯全年舉辦“巾幗家政”培訓班24期，培訓婦女1,860人次。
""", [
        ("maternal_mortality_ratio", 11.6, "1/10万", 2023, GUIPING, False),
        ("infant_mortality_rate", 3.9, "‰", 2023, GUIPING, False),
        ("under5_mortality_rate", 5.2, "‰", 2023, GUIPING, False),
        ("cervical_cancer_screening_rate", 65.2, "%", 2023, GUIPING, False),
        ("breast_cancer_screening_rate", 63.8, "%", 2023, GUIPING, False),
        ("common_gynaecological_screening_rate", 84.5, "%", 2023, GUIPING, False),
        ("preschool_gross_enrolment_rate", 91.2, "%", 2023, GUIPING, False),
        ("preschool_gross_enrolment_rate", 89.7, "%", 2022, GUIPING, True),
        ("nine_year_retention_rate", 94.6, "%", 2023, GUIPING, False),
        ("children_homes_count", 386.0, "个", 2023, GUIPING, False),
    ]),
    ("education_department_2024", GANGNAN, None, """港南区教育局2024年贯彻落实儿童发展规划工作情况

2024年，全区学前教育毛入园率、九年义务教育巩固率、高中阶段毛入学率分别为93.1%、97.0%、92.4%，分别比上年提高0.9、0.4和1.1个百分点。
普惠性幼儿园占全部幼儿园比例为84.2%，适龄残疾儿童少年义务教育入学率达97.5%。
全区中小学生《国家学生体质健康标准》达标优良率为54.8%；小学生近视率、初中生近视率分别为35.2%、65.3%，较上年分别下降0.5和0.8个百分点。
全区新建、改扩建幼儿园6所，新增学位1,080个，资助家庭经济困难学生2.3万人次。
""", [
        ("preschool_gross_enrolment_rate", 93.1, "%", 2024, GANGNAN, False),
        ("nine_year_retention_rate", 97.0, "%", 2024, GANGNAN, False),
        ("senior_secondary_gross_enrolment_rate", 92.4, "%", 2024, GANGNAN, False),
        ("preschool_gross_enrolment_rate", 92.2, "%", 2023, GANGNAN, True),
        ("nine_year_retention_rate", 96.6, "%", 2023, GANGNAN, True),
        ("senior_secondary_gross_enrolment_rate", 91.3, "%", 2023, GANGNAN, True),
        ("inclusive_kindergarten_share", 84.2, "%", 2024, GANGNAN, False),
        ("disabled_children_compulsory_enrolment_rate", 97.5, "%", 2024, GANGNAN, False),
        ("student_fitness_good_rate", 54.8, "%", 2024, GANGNAN, False),
        ("primary_myopia_rate", 35.2, "%", 2024, GANGNAN, False),
        ("junior_secondary_myopia_rate", 65.3, "%", 2024, GANGNAN, False),
        ("primary_myopia_rate", 35.7, "%", 2023, GANGNAN, True),
        ("junior_secondary_myopia_rate", 66.1, "%", 2023, GANGNAN, True),
    ]),
    ("speech_2022", GUIGANG, 2022, """在全市妇女儿童工作会议上的讲话

同志们，过去一年，全市妇女儿童事业取得新进展。全市孕产妇死亡率下降到10.2/10万，婴儿死亡率降至3.5‰，均优于全区平均水平。
全市学前教育毛入园率达到90.5%左右，比全区平均水平高1.2个百分点。高中阶段毛入学率为91%—93%。
到2025年，全市孕产妇死亡率要控制在12/10万以下，婴儿死亡率控制在5‰以下。
""", [
        ("maternal_mortality_ratio", 10.2, "1/10万", 2022, GUIGANG, False),
        ("infant_mortality_rate", 3.5, "‰", 2022, GUIGANG, False),
        ("preschool_gross_enrolment_rate", 90.5, "%", 2022, GUIGANG, False),
    ]),
    ("county_numbers_in_words_2021", None, None, """港南区二〇二一年妇女儿童发展规划实施情况报告

二〇二一年，全区孕产妇住院分娩率达百分之九十九点九，婴儿死亡率为千分之三点八，孕产妇死亡率为十二点一/十万。
全区妇女常见病筛查率为82.3%，较上年提高3.5个百分点；产后访视率为94.6%，比上年增长1.2%。
全区儿童伤害死亡率为15.3/10万，儿童溺水死亡率为4.1/10万，分别比上年下降2.2/10万和0.6/10万。
""", [
        ("hospital_delivery_rate", 99.9, "%", 2021, GANGNAN, False),
        ("infant_mortality_rate", 3.8, "‰", 2021, GANGNAN, False),
        ("maternal_mortality_ratio", 12.1, "1/10万", 2021, GANGNAN, False),
        ("common_gynaecological_screening_rate", 82.3, "%", 2021, GANGNAN, False),
        ("common_gynaecological_screening_rate", 78.8, "%", 2020, GANGNAN, True),
        ("postpartum_visit_rate", 94.6, "%", 2021, GANGNAN, False),
        ("child_injury_mortality_rate", 15.3, "1/10万", 2021, GANGNAN, False),
        ("child_drowning_mortality_rate", 4.1, "1/10万", 2021, GANGNAN, False),
        ("child_injury_mortality_rate", 17.5, "1/10万", 2020, GANGNAN, True),
        ("child_drowning_mortality_rate", 4.7, "1/10万", 2020, GANGNAN, True),
    ]),
    ("city_with_counties_2024", None, None, """贵港市2024年妇女儿童发展规划监测报告

2024年，全市孕产妇住院分娩率为99.96%，其中港北区为99.98%，平南县为99.93%。全市新生儿访视率为95.8%。
平南县孕产妇系统管理率为92.4%，桂平市孕产妇系统管理率为90.7%。
全市每千名儿童拥有儿科执业（助理）医生0.85人，每千名儿童拥有床位数2.3张，每千人口拥有3岁以下婴幼儿托位数达到3.2个。
全市妇幼保健机构共有7所，女性人均预期寿命达到80.12岁，人均预期寿命为77.6岁。
""", [
        ("hospital_delivery_rate", 99.96, "%", 2024, GUIGANG, False),
        ("hospital_delivery_rate", 99.98, "%", 2024, GANGBEI, False),
        ("hospital_delivery_rate", 99.93, "%", 2024, PINGNAN, False),
        ("newborn_visit_rate", 95.8, "%", 2024, GUIGANG, False),
        ("maternal_systematic_management_rate", 92.4, "%", 2024, PINGNAN, False),
        ("maternal_systematic_management_rate", 90.7, "%", 2024, GUIPING, False),
        ("paediatricians_per_1000_children", 0.85, "人/千名儿童", 2024, GUIGANG, False),
        ("paediatric_beds_per_1000_children", 2.3, "张/千名儿童", 2024, GUIGANG, False),
        ("childcare_places_per_1000", 3.2, "个/千人", 2024, GUIGANG, False),
        ("mch_institutions_count", 7.0, "个", 2024, GUIGANG, False),
        ("female_life_expectancy", 80.12, "岁", 2024, GUIGANG, False),
        ("life_expectancy", 77.6, "岁", 2024, GUIGANG, False),
    ]),
    ("monitoring_report_numbered_2022", PINGNAN, None, """平南县2022年妇女儿童发展规划统计监测报告

一、妇女与健康
1.孕产妇死亡率。2022年全县孕产妇死亡率为8.6/10万（上年为11.5/10万），低于15/10万的目标值。
2.孕产妇住院分娩率、系统管理率分别为99.9%和92.1%，其中农村孕产妇住院分娩率为99.8%。
3.妇女常见病筛查率：全县为81.6%，比上年提高2.4个百分点，已达到规划目标。
二、儿童与健康
（一）婴儿死亡率：全县为3.2‰，上年同期为3.6‰。
（二）2021年、2022年全县5岁以下儿童死亡率分别为5.1‰、4.7‰。
（三）全县儿童青少年总体近视率为52.1%，其中小学生、初中生、高中阶段学生近视率分别为35.6%、71.2%、81.0%。
（四）二〇二二年全县中小学生贫血患病率为百分之八点三。
""", [
        ("maternal_mortality_ratio", 8.6, "1/10万", 2022, PINGNAN, False),
        ("maternal_mortality_ratio", 11.5, "1/10万", 2021, PINGNAN, False),
        ("hospital_delivery_rate", 99.9, "%", 2022, PINGNAN, False),
        ("maternal_systematic_management_rate", 92.1, "%", 2022, PINGNAN, False),
        ("rural_hospital_delivery_rate", 99.8, "%", 2022, PINGNAN, False),
        ("common_gynaecological_screening_rate", 81.6, "%", 2022, PINGNAN, False),
        ("common_gynaecological_screening_rate", 79.2, "%", 2021, PINGNAN, True),
        ("infant_mortality_rate", 3.2, "‰", 2022, PINGNAN, False),
        ("infant_mortality_rate", 3.6, "‰", 2021, PINGNAN, False),
        ("under5_mortality_rate", 5.1, "‰", 2021, PINGNAN, False),
        ("under5_mortality_rate", 4.7, "‰", 2022, PINGNAN, False),
        ("child_myopia_rate", 52.1, "%", 2022, PINGNAN, False),
        ("primary_myopia_rate", 35.6, "%", 2022, PINGNAN, False),
        ("junior_secondary_myopia_rate", 71.2, "%", 2022, PINGNAN, False),
        ("senior_secondary_myopia_rate", 81.0, "%", 2022, PINGNAN, False),
        ("pupil_anaemia_rate", 8.3, "%", 2022, PINGNAN, False),
    ]),
    ("women_federation_summary_2023", None, None, """港北区妇联2023年工作总结
港北区妇联2023年工作总结

今年以来，区妇联围绕中心、服务大局，扎实推进妇女发展规划各项目标任务落实。全区村“两委”班子中妇女成员比例达到26.8%，村委会主任中女性比例比上年提高1.1个百分点，达到13.5%。
全区城乡居民基本医疗保险参保率达96.5%，其中妇女基本医疗保险参保率为96.8%，妇女基本养老保险参保率为91.2%，比上年增长2.3%。
全年组织“两癌”免费检查3.2万人次，为126名患病困难妇女发放救助金63万元；举办巾帼家政、电商等技能培训班42期，培训妇女2,860人次，帮助1,035名妇女实现就业创业。
全区建成家长学校132所，城市社区建立家长学校或家庭教育指导服务站点的比例为95%，农村社区（村）建立家长学校或家庭教育指导服务站点的比例为88.6%。
""", [
        ("female_share_village_two_committees", 26.8, "%", 2023, GANGBEI, False),
        ("female_share_village_committee_chairs", 13.5, "%", 2023, GANGBEI, False),
        ("female_share_village_committee_chairs", 12.4, "%", 2022, GANGBEI, True),
        ("female_medical_insurance_rate", 96.8, "%", 2023, GANGBEI, False),
        ("female_pension_insurance_rate", 91.2, "%", 2023, GANGBEI, False),
        ("parent_school_share_urban", 95.0, "%", 2023, GANGBEI, False),
        ("parent_school_share_rural", 88.6, "%", 2023, GANGBEI, False),
    ]),
    ("pdf_copy_health_2024", None, None, """覃塘区2024年妇幼卫生工作总结
一、主要指标完成情况
2024年，全区活产数3,862人，孕产妇住院分娩率为99.97%，孕产妇死亡率为0，婴儿死亡率为3.11‰，比上
年下降0.42个千分点，5岁以下儿童死亡率为4.2 6‰，新生儿死亡率为1.8 8‰。全区孕产妇产前检查率为97.6%，产后访
视率为96.2%，新生儿访视率为96.8%。
二、重点工作
全区适龄儿童免疫规划疫苗接种率均保持在95%以上，0～6岁儿童眼保健和视力检查覆盖率为93.4%，
6个月内婴儿纯母乳喂养率为56.2%。全年完成免费孕前优生健康检查2,150对，目标人群覆盖率达96.1%。
""", [
        ("hospital_delivery_rate", 99.97, "%", 2024, QINTANG, False),
        ("maternal_mortality_ratio", 0.0, "", 2024, QINTANG, False),
        ("infant_mortality_rate", 3.11, "‰", 2024, QINTANG, False),
        ("infant_mortality_rate", 3.53, "‰", 2023, QINTANG, True),
        ("under5_mortality_rate", 4.26, "‰", 2024, QINTANG, False),
        ("neonatal_mortality_rate", 1.88, "‰", 2024, QINTANG, False),
        ("antenatal_care_rate", 97.6, "%", 2024, QINTANG, False),
        ("postpartum_visit_rate", 96.2, "%", 2024, QINTANG, False),
        ("newborn_visit_rate", 96.8, "%", 2024, QINTANG, False),
        ("immunisation_coverage_rate", 95.0, "%", 2024, QINTANG, False),
        ("eye_care_coverage_rate", 93.4, "%", 2024, QINTANG, False),
        ("exclusive_breastfeeding_rate", 56.2, "%", 2024, QINTANG, False),
        ("prepregnancy_check_coverage", 96.1, "%", 2024, QINTANG, False),
    ]),
    ("traditional_midterm_2025", GUIGANG, None, """貴港市婦女兒童發展規劃中期評估報告

2025年，全市孕產婦住院分娩率為99.95%，婦女常見病篩查率為86.1%，較上年提高1.8個百分點。全市嬰兒死亡率、5歲以下兒童死亡率分別為2.98‰、4.05‰，分別比上年下降0.2和0.3個千分點。
全市學前教育毛入園率為93.2%，普惠性幼兒園覆蓋率為88.4%；義務教育鞏固率達97.1%。其中，平南縣學前教育毛入園率為94.1%，桂平市為92.5%。
全市城鄉社區兒童之家覆蓋率達到96.2%，每千名兒童擁有兒科執業（助理）醫生數為0.92人。
""", [
        ("hospital_delivery_rate", 99.95, "%", 2025, GUIGANG, False),
        ("common_gynaecological_screening_rate", 86.1, "%", 2025, GUIGANG, False),
        ("common_gynaecological_screening_rate", 84.3, "%", 2024, GUIGANG, True),
        ("infant_mortality_rate", 2.98, "‰", 2025, GUIGANG, False),
        ("under5_mortality_rate", 4.05, "‰", 2025, GUIGANG, False),
        ("infant_mortality_rate", 3.18, "‰", 2024, GUIGANG, True),
        ("under5_mortality_rate", 4.35, "‰", 2024, GUIGANG, True),
        ("preschool_gross_enrolment_rate", 93.2, "%", 2025, GUIGANG, False),
        ("inclusive_kindergarten_coverage", 88.4, "%", 2025, GUIGANG, False),
        ("nine_year_retention_rate", 97.1, "%", 2025, GUIGANG, False),
        ("preschool_gross_enrolment_rate", 94.1, "%", 2025, PINGNAN, False),
        ("preschool_gross_enrolment_rate", 92.5, "%", 2025, GUIPING, False),
        ("share_communities_with_children_home", 96.2, "%", 2025, GUIGANG, False),
        ("paediatricians_per_1000_children", 0.92, "人/千名儿童", 2025, GUIGANG, False),
    ]),
    ("county_summary_changes_first_2023", None, None, """桂平市2023年实施妇女儿童发展规划工作总结

2023年，全市学前教育毛入园率比上年提高1.2个百分点，达到91.3%；高中阶段毛入学率达到90.2%，高出全区平均水平2.6个百分点。
全市孕产妇死亡率同比下降2.6/10万，降至9.1/10万；婴儿死亡率由上年的4.2‰下降至3.8‰。全市新生儿破伤风发病率低于1‰。
全市妇女常见病筛查率为80.2%，比2022年提高2.1个百分点；宫颈癌筛查率、乳腺癌筛查率分别为61.5%和59.8%。
全市共有0-17岁儿童42.3万人，其中农村留守儿童3.1万人，全年为困境儿童发放基本生活费1,260万元。
""", [
        ("preschool_gross_enrolment_rate", 91.3, "%", 2023, GUIPING, False),
        ("preschool_gross_enrolment_rate", 90.1, "%", 2022, GUIPING, True),
        ("senior_secondary_gross_enrolment_rate", 90.2, "%", 2023, GUIPING, False),
        ("maternal_mortality_ratio", 9.1, "1/10万", 2023, GUIPING, False),
        ("maternal_mortality_ratio", 11.7, "1/10万", 2022, GUIPING, True),
        ("infant_mortality_rate", 4.2, "‰", 2022, GUIPING, False),
        ("infant_mortality_rate", 3.8, "‰", 2023, GUIPING, False),
        ("neonatal_tetanus_incidence", 1.0, "‰", 2023, GUIPING, False),
        ("common_gynaecological_screening_rate", 80.2, "%", 2023, GUIPING, False),
        ("common_gynaecological_screening_rate", 78.1, "%", 2022, GUIPING, True),
        ("cervical_cancer_screening_rate", 61.5, "%", 2023, GUIPING, False),
        ("breast_cancer_screening_rate", 59.8, "%", 2023, GUIPING, False),
    ]),
    ("national_monitoring_2022", NATIONAL, None, """《中国儿童发展纲要（2021—2030年）》2022年度统计监测报告

2022年，全国婴儿、5岁以下儿童死亡率分别为4.9‰和6.8‰，分别比上年下降0.1和0.3个千分点；孕产妇死亡率为15.7/10万，比上年下降0.4个十万分点。
儿童青少年总体近视率为51.9%，比上年下降1.7个百分点。全国学前教育毛入园率为89.7%，比2021年提高1.6个百分点，九年义务教育巩固率为95.5%，较上年的95.4%略有提高。
每千名儿童拥有儿科执业（助理）医生0.78人，较2020年增加0.15人。
""", [
        ("infant_mortality_rate", 4.9, "‰", 2022, NATIONAL, False),
        ("under5_mortality_rate", 6.8, "‰", 2022, NATIONAL, False),
        ("infant_mortality_rate", 5.0, "‰", 2021, NATIONAL, True),
        ("under5_mortality_rate", 7.1, "‰", 2021, NATIONAL, True),
        ("maternal_mortality_ratio", 15.7, "1/10万", 2022, NATIONAL, False),
        ("maternal_mortality_ratio", 16.1, "1/10万", 2021, NATIONAL, True),
        ("child_myopia_rate", 51.9, "%", 2022, NATIONAL, False),
        ("child_myopia_rate", 53.6, "%", 2021, NATIONAL, True),
        ("preschool_gross_enrolment_rate", 89.7, "%", 2022, NATIONAL, False),
        ("preschool_gross_enrolment_rate", 88.1, "%", 2021, NATIONAL, True),
        ("nine_year_retention_rate", 95.5, "%", 2022, NATIONAL, False),
        ("nine_year_retention_rate", 95.4, "%", 2021, NATIONAL, False),
        ("paediatricians_per_1000_children", 0.78, "人/千名儿童", 2022, NATIONAL, False),
    ]),
    ("district_progress_2022", None, None, """港北区2022年贯彻实施妇女儿童发展规划情况的报告

一年来，全区婴儿死亡率和5岁以下儿童死亡率分别由上年的4.1‰和5.6‰下降到3.8‰和5.2‰；孕产妇死亡率、新生儿死亡率分别从2020年的15.2/10万、2.4‰下降到9.8/10万、1.9‰。
全区孕产妇死亡率为9.8/10万，全市为11.3/10万。全区适龄儿童免疫规划疫苗接种率达到98.5%，产前筛查率为80.3%（上年为77.9%）。
""", [
        ("infant_mortality_rate", 4.1, "‰", 2021, GANGBEI, False),
        ("under5_mortality_rate", 5.6, "‰", 2021, GANGBEI, False),
        ("infant_mortality_rate", 3.8, "‰", 2022, GANGBEI, False),
        ("under5_mortality_rate", 5.2, "‰", 2022, GANGBEI, False),
        ("maternal_mortality_ratio", 15.2, "1/10万", 2020, GANGBEI, False),
        ("neonatal_mortality_rate", 2.4, "‰", 2020, GANGBEI, False),
        ("maternal_mortality_ratio", 9.8, "1/10万", 2022, GANGBEI, False),
        ("neonatal_mortality_rate", 1.9, "‰", 2022, GANGBEI, False),
        ("maternal_mortality_ratio", 11.3, "1/10万", 2022, GUIGANG, False),  # 全市: the city
        ("immunisation_coverage_rate", 98.5, "%", 2022, GANGBEI, False),
        ("prenatal_screening_rate", 80.3, "%", 2022, GANGBEI, False),
        ("prenatal_screening_rate", 77.9, "%", 2021, GANGBEI, False),
    ]),
    ("county_annual_women_2024", None, None, """平南县2024年妇女发展规划实施情况总结

2024年以来，县妇儿工委认真履行职责，推动规划目标落实。一是妇女健康水平持续提升。全县孕产妇住院分娩率稳定在99.9%以上，孕产妇系统管理率达94.2%，同比提高0.8个百分点；全县婚前医学检查率为81.3%，产前筛查率达到88.6%。
二是妇女就业创业成效明显。全县城镇新增就业3,250人，其中女性1,486人；高级专业技术人员中女性比例为40.2%。
三是妇女参政议政水平提高。县人大代表中女性比例为27.8%，县政协委员中女性比例达到25.6%，居委会成员中女性比例保持在50%以上。
四是妇女社会保障水平提高。全县妇女基本养老保险参保率为92.4%，较上年提高1.1个百分点；妇女基本医疗保险参保率为97.1%。
""", [
        ("hospital_delivery_rate", 99.9, "%", 2024, PINGNAN, False),
        ("maternal_systematic_management_rate", 94.2, "%", 2024, PINGNAN, False),
        ("maternal_systematic_management_rate", 93.4, "%", 2023, PINGNAN, True),
        ("premarital_medical_exam_rate", 81.3, "%", 2024, PINGNAN, False),
        ("prenatal_screening_rate", 88.6, "%", 2024, PINGNAN, False),
        ("female_share_senior_professionals", 40.2, "%", 2024, PINGNAN, False),
        ("female_share_congress_deputies", 27.8, "%", 2024, PINGNAN, False),
        ("female_share_cppcc_members", 25.6, "%", 2024, PINGNAN, False),
        ("female_share_residents_committee", 50.0, "%", 2024, PINGNAN, False),
        ("female_pension_insurance_rate", 92.4, "%", 2024, PINGNAN, False),
        ("female_pension_insurance_rate", 91.3, "%", 2023, PINGNAN, True),
        ("female_medical_insurance_rate", 97.1, "%", 2024, PINGNAN, False),
    ]),
    ("city_children_health_2023", GUIGANG, None, """贵港市卫生健康委员会关于2023年度儿童发展规划目标任务完成情况的报告

按照市妇儿工委办要求，现将我委2023年度儿童健康领域目标任务完成情况报告如下：
（一）新生儿、婴儿和5岁以下儿童死亡率分别为1.72‰、3.15‰和4.48‰，均达到规划目标要求。
（二）5岁以下儿童贫血患病率、生长迟缓率和低体重率分别为5.9%、1.6%和1.1%。全市0～6个月婴儿纯母乳喂养率为58.3%，比2022年提高2.4个百分点。
（三）全市适龄儿童免疫规划疫苗接种率保持在98%以上，3岁以下儿童系统管理率为93.9%，7岁以下儿童健康管理率为95.4%。
（四）全市每千名儿童拥有儿科执业（助理）医生数为0.89人，每千名儿童拥有床位数为2.41张。桂平市每千名儿童拥有儿科执业（助理）医生数为0.76人。
（五）全年开展儿童健康促进活动120场次，培训儿童保健人员850人次。
""", [
        ("neonatal_mortality_rate", 1.72, "‰", 2023, GUIGANG, False),
        ("infant_mortality_rate", 3.15, "‰", 2023, GUIGANG, False),
        ("under5_mortality_rate", 4.48, "‰", 2023, GUIGANG, False),
        ("under5_anaemia_rate", 5.9, "%", 2023, GUIGANG, False),
        ("under5_stunting_rate", 1.6, "%", 2023, GUIGANG, False),
        ("under5_underweight_rate", 1.1, "%", 2023, GUIGANG, False),
        ("exclusive_breastfeeding_rate", 58.3, "%", 2023, GUIGANG, False),
        ("exclusive_breastfeeding_rate", 55.9, "%", 2022, GUIGANG, True),
        ("immunisation_coverage_rate", 98.0, "%", 2023, GUIGANG, False),
        ("under3_systematic_management_rate", 93.9, "%", 2023, GUIGANG, False),
        ("under7_health_management_rate", 95.4, "%", 2023, GUIGANG, False),
        ("paediatricians_per_1000_children", 0.89, "人/千名儿童", 2023, GUIGANG, False),
        ("paediatric_beds_per_1000_children", 2.41, "张/千名儿童", 2023, GUIGANG, False),
        ("paediatricians_per_1000_children", 0.76, "人/千名儿童", 2023, GUIPING, False),
    ]),
    ("web_copy_pinyin_2022", None, None, """覃塘区2022年儿童发展规划实施情况
覃塘区2022年儿童发展规划实施情况
发布时间：2023-02-10 10:21  浏览次数：356  字号：大 中 小
2022年，全区学前教育毛入园率达到90.8%，普惠性幼儿园覆
盖率为86.7%，九年义务教育巩固率为96.1%，比上年提高0.3
个百分点；高中阶段毛入学率为89.6%。全区共有城乡社区儿童之家158
个，建有儿童之家的城乡社区比例达92.9%。全区儿童伤害死亡率为14.2/10万，其中儿童溺水死亡率为3.9/10万。
""", [
        ("preschool_gross_enrolment_rate", 90.8, "%", 2022, QINTANG, False),
        ("inclusive_kindergarten_coverage", 86.7, "%", 2022, QINTANG, False),
        ("nine_year_retention_rate", 96.1, "%", 2022, QINTANG, False),
        ("nine_year_retention_rate", 95.8, "%", 2021, QINTANG, True),
        ("senior_secondary_gross_enrolment_rate", 89.6, "%", 2022, QINTANG, False),
        ("children_homes_count", 158.0, "个", 2022, QINTANG, False),
        ("share_communities_with_children_home", 92.9, "%", 2022, QINTANG, False),
        ("child_injury_mortality_rate", 14.2, "1/10万", 2022, QINTANG, False),
        ("child_drowning_mortality_rate", 3.9, "1/10万", 2022, QINTANG, False),
    ]),
]
