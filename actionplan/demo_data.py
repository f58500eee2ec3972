"""The seed plan: Portsmouth's detailed action plan of 3 June 2016 (all 8 priorities).

Transcribed from the published appendix: each action's Who and When as written, its
milestones, the priorities' "what will success look like", the plan's success measures and
the glossary of lead roles. Due dates are read from the When text ("By Sept 2016" = 30 Sep
2016; "2016/17" = the end of that academic year, 31 Jul 2017); a milestone without its own
date takes its action's. Where the paper has an obvious typo in a Who cell ("HIS", "I") the
lead role meant is given in ``leads``; the Who text is kept as printed.
"""

from __future__ import annotations

import datetime as dt

D = dt.date

PLAN = {
    "title": "Ofsted action plan: school improvement in Portsmouth",
    "period": "2016/17 to 2017/18",
    "published_on": D(2016, 6, 3),
    "introduction": (
        "The Action Plan responds to the findings of the Ofsted inspection undertaken in "
        "February 2016 of Portsmouth City Council's arrangements for supporting school "
        "improvement. It addresses the five areas for improvement identified by Ofsted and "
        "comprises 8 key priorities."
    ),
}

LEAD_ROLES = [
    ("DCS", "Director of Children's Services"),
    ("DDCS", "Deputy Director of Children's Services - Education"),
    ("HSI", "Head of School Improvement (Interim)"),
    ("HI", "Head of Inclusion"),
    ("HSPR", "Head of Sufficiency, Participation and Resources"),
    ("SIO", "School Improvement Officers"),
    ("PCM", "Post-16 Commissioning Manager"),
    ("SIM", "Strategic Information Manager - Children's Services"),
    ("EGM", "Economic Growth Manager"),
    ("CM", "Cabinet Member for Education"),
    ("PTSA", "Portsmouth Teaching School Alliance"),
]

SEPT16 = D(2016, 9, 30)
JAN17 = D(2017, 1, 31)
SEPT17 = D(2017, 9, 30)
AY1617 = D(2017, 7, 31)
MAY16 = D(2016, 5, 31)


def A(number, description, who, when, due, milestones, leads=None):  # noqa: N802
    return {
        "number": number,
        "description": description,
        "who": who,
        "when": when,
        "due": due,
        "leads": leads,
        "milestones": [m if isinstance(m, tuple) else (m, None) for m in milestones],
    }


PRIORITIES = [
    {
        "number": 1,
        "title": "Establish and implement collaborative arrangements in Portsmouth to support "
        "sector-led school improvement",
        "ofsted_areas": "2 & 3",
        "success": [
            "A collective focus on improving standards in Portsmouth underpinned by school to "
            "school support and peer assessment",
            "The majority of schools and providers are engaged in intervention, improvement or "
            "system leadership through the partnership",
            "There is clarity about the respective roles of the LA, Multi Academy Trusts, "
            "Teaching Schools and individual schools in terms of school improvement",
        ],
        "actions": [
            A(
                "1.1",
                "Establish an Education Partnership for Portsmouth securing the support of all "
                "LA maintained schools, academies, academy post-16 providers and the University "
                "of Portsmouth.\nAgree and publish a strategic approach to school improvement, "
                "supported by the development of a city-wide vision and strategy co-constructed "
                "with schools and other partners through the education partnership, replacing "
                "the LA's Achieving Excellence Strategy",
                "DCS / DDCS",
                "May - Sept 2016. Embryonic partnership by Sept 2016. Fully developed by Jan 2017",
                JAN17,
                [
                    (
                        "Consultation with Heads & Principals and other key partners (workshops "
                        "to be held on 6th & 12th May 2016) - follow up meeting with Joint "
                        "Executive on 29th June 2016",
                        D(2016, 6, 29),
                    ),
                    (
                        "Model for School Improvement and the Partnership agreed including "
                        "establishment of Executive Board and Commissioning Group",
                        SEPT16,
                    ),
                    ("Terms of reference and protocols in place", SEPT16),
                    ("City-wide vision and strategy published", JAN17),
                ],
            ),
            A(
                "1.2",
                "Through the partnership establish a new forward looking annual challenge "
                "process, focusing on schools where pupils make below expected progress, "
                "underpinned by an annual needs based analysis to determine priorities and use "
                "of resources",
                "HSI / SIM",
                "Annual. Fully developed from Sept 2017",
                SEPT17,
                [
                    "Needs based analysis undertaken to determine annual set of priorities",
                    "Annual set of priorities to determine an annual commissioning plan",
                    "Impact of all commissioned interventions reported to Executive Board and to "
                    "elected members through the Education Advisory Panel",
                ],
            ),
            A(
                "1.3",
                "Through the partnership and developing further the Challenge Partners model "
                "which is already widely used in the City, put in place a local peer assessment "
                "targeting schools where progress is less than the agreed threshold, making "
                "more effective use of the capacity of schools to support each other, raising "
                "aspirations, driving professional accountability and highlighting CPD needs "
                "within a school",
                "DDCS / HSI",
                "From Jan 2017",
                JAN17,
                ["Model for local peer assessment agreed"],
            ),
            A(
                "1.4",
                "Agree a system of quality assurance for judging the effectiveness of school "
                "improvement work and make more effective use of National, Local and Specialist "
                "Leaders of Excellence focused on agreed priorities and schools causing for "
                "concern.",
                "HIS",
                "From Jan 2017",
                JAN17,
                [
                    "Establish a new framework for quality assurance, monitoring and evaluation "
                    "of school improvement work that is commissioned through the Partnership"
                ],
                leads=["HSI"],
            ),
            A(
                "1.5",
                "Put in place a collective leadership development strategy focusing on all "
                "levels of leadership from middle to executive headship / MAT leadership, to "
                "include:\n- Staying Good and Good to Great networks in partnership with "
                "Portsmouth Teaching School Alliance\n- Headteacher & Deputy Headteacher "
                "induction programme led by Portsmouth Teaching School Alliance\n- Improving "
                "maths and English leadership\n- Challenge Partners Programme",
                "HSI PTSA Challenge Partners",
                "Fully developed from Sept 2017",
                SEPT17,
                ["Leadership strategy agreed"],
            ),
            A(
                "1.6",
                "Working with the University of Portsmouth and FE Colleges in Portsmouth "
                "establish:\n- A student volunteer placement programme to support teaching and "
                "learning in schools focussing on curriculum areas where performance is weak\n"
                "- A Science/Technology Hub to expand teacher capacity, develop stronger links "
                "with local STEM employers and promote career opportunities - linked to the UTC "
                "which opens in Sept 2017",
                "HSI DDCS EGM",
                "By April 2017. From Sept 2017",
                SEPT17,
                [
                    (
                        "Student volunteer placement model agreed with clear protocols in place",
                        D(2017, 4, 30),
                    ),
                    ("Model of accreditation of student's work agreed", D(2017, 4, 30)),
                    ("Development and launch of Hub", SEPT17),
                    ("Opening of the UTC", SEPT17),
                ],
            ),
        ],
    },
    {
        "number": 2,
        "title": "Robustly challenge all providers of education to improve pupils' and "
        "learners' rate of progress at every key stage",
        "ofsted_areas": "1",
        "success": [
            "An effective system of identifying and monitoring schools causing concern and "
            "clear protocols in place for academies and when to refer a concern to the RSC",
            "Pool of National Leaders of Governance and skilled governors which the LA can call "
            "upon to strengthen governing bodies and / or implement IEBs",
            "No schools causing concern",
            "All schools judged to be good or better",
            "All schools (3) and academies (1) that are currently Requiring Improvement to be "
            "good or better",
        ],
        "actions": [
            A(
                "2.1",
                "Introduce a new peer challenge process (refer to 1.3)",
                "DDCS / HSI",
                "From Jan 2017",
                JAN17,
                ["Model for local peer assessment agreed"],
            ),
            A(
                "2.2",
                "Strengthen the LA's School Assessment Meetings (SAM) and refine the 3Ms schools "
                "causing concern categorisation (minimum, moderate and maximum) so there is a "
                "stronger focus on disadvantaged pupils and cohorts of underperforming pupils "
                "such as boys, drawing on the peer challenge process above and widening the "
                "review process to include the new partnership and Headteacher representation "
                "on the SAM",
                "HSI",
                "By Sept 2016. Half termly SAM meetings",
                SEPT16,
                [
                    "Revised schools causing concerning categorisation process, involving the "
                    "new partnership"
                ],
            ),
            A(
                "2.3",
                "In addition to 2.2 focus the LA's school improvement support on LA maintained "
                "schools due for re-inspection in 2016/17",
                "HSI",
                "On-going",
                None,
                ["All schools to be Good or better"],
            ),
            A(
                "2.4",
                "Adopt a consistent and robust challenge for academies that are a cause for "
                "concern and refer to the Regional Schools Commissioner as appropriate.\nWhere "
                "academies are underperforming and are referred to the RSC, ensure there is "
                "clear evidence to demonstrate that the LA has both offered support and "
                "challenge in discussion with the Academy Trust.",
                "DDCS / HSI",
                "By Dec 2016. By Sept 2016. Annual",
                D(2016, 12, 31),
                [
                    (
                        "Revision to Portsmouth Academies Protocol and the Support and "
                        "Intervention Framework",
                        D(2016, 12, 31),
                    ),
                    (
                        "Criteria and processes for LA referral to RSC in place and clearly "
                        "communicated to Academy Trusts",
                        SEPT16,
                    ),
                    ("Annual strategic meetings with each Academy Trust", AY1617),
                ],
            ),
            A(
                "2.5",
                "Strengthen the challenge and support available to governing bodies and support "
                "governors to enable them to hold school leaders to account focusing the work "
                "of governors services on schools causing concern through:\n- Governance "
                "reviews\n- Monitoring of minutes\n- Strengthening the network of expert "
                "governors and National Leaders of Governance (NLG) to further develop skills "
                "and expertise to support challenging circumstances e.g. IEB\n- Establish a "
                "closer link between Governor Services and school improvement officers",
                "HSI",
                "By Sept 2016",
                SEPT16,
                ["Revision to Governance Strategy"],
            ),
            A(
                "2.6",
                "Strengthen the challenge in the secondary phase with a focus on the two LA "
                "maintained schools that are Requiring Improvement (King Richard and Mayfield "
                "Schools); and improve the quality assurance arrangements of external advisers "
                "commissioned by the LA for secondary school improvement",
                "HSI",
                "2016/17",
                AY1617,
                [
                    "All LA maintained secondary schools to be good or better",
                    "Clear quality assurance and supervision in place for external secondary "
                    "advisers",
                ],
            ),
        ],
    },
    {
        "number": 3,
        "title": "Make more effective use of the LA's statutory powers of intervention in order "
        "to bring about a significant improvement in school performance",
        "ofsted_areas": "1 & 2",
        "success": [
            "No schools in financial deficit",
            "All schools with strong leadership and governance in place",
            "No inadequate schools",
        ],
        "actions": [
            A(
                "3.1",
                "Revise and strengthen the LA's Support and Intervention Framework in line with "
                "the latest DfE guidance 'schools causing concern' and provide clarity about the "
                "LA's role in terms of challenge, support and intervention",
                "HSI",
                "By Sept 2016",
                SEPT16,
                [
                    "Revised Support and Intervention Framework",
                    "Revised Academies Protocol",
                    "Revised school visit programme based on intervention in inverse proportion "
                    "to success",
                ],
            ),
            A(
                "3.2",
                "Use LA powers more swiftly for LA maintained schools that are causing concern "
                "in order to effect rapid improvement:\n- Improve consistency and regularity of "
                "issuing warning notices to schools that are a cause for concern\n- Strengthen "
                "the role of the School Review Group for schools that are of maximum concern\n"
                "- Strengthen governing bodies where progress has been insufficient and / or\n"
                "- Suspend delegated powers or replace governing bodies with an Interim "
                "Executive Board (IEB)",
                "DDCS",
                "By May 2016",
                MAY16,
                [
                    "All schools that are of maximum concern to have been issued with a warning "
                    "notice and to have School Review Groups in place",
                    "All schools that are judged to be inadequate to become a sponsored academy",
                ],
            ),
        ],
    },
    {
        "number": 4,
        "title": "Improve outcomes for underperforming cohorts of children and young people with "
        "a particular focus on disadvantaged and vulnerable pupils, boys and SEND",
        "ofsted_areas": "1",
        "success": ["Gap between disadvantaged and peers narrowed (refer to success measures)"],
        "actions": [
            A(
                "4.1",
                "Subject to a review through the education partnership, deliver targeted work "
                "on pupil premium in partnership with the Portsmouth Teaching School Alliance:\n"
                "- Train a small group of NLE/LLE/other Heads or Senior Leaders to work as "
                "facilitators supporting schools to improve PP outcomes. Using agreed protocols, "
                "facilitators would offer: pupil premium reviews and bespoke support\n- Select a "
                "targeted sample of schools based on analysis of data to undertake a review\n"
                "- Train other facilitators e.g. LLEs\n- Roll out reviews to all interested "
                "schools\n- Follow up e.g. 'Challenge the Gap' (refer to 4.3)",
                "HSI PTSA",
                "From Sept 2016",
                AY1617,
                [
                    "Complete review and agree specification for the programme of work during "
                    "2016/17",
                    "Secure the support of system leaders and agree a targeted sample of schools "
                    "for implementation",
                ],
            ),
            A(
                "4.2",
                "Implement 'Challenge the Gap' - a whole school improvement programme of "
                "evidence based strategies tailored to each school that will initially target a "
                "small group of each school's most vulnerable pupils and then scale up effective "
                "strategies to impact all pupils",
                "HSI PTSA Challenge Partners",
                "June, Sept, Nov 2016 & Jan, March, June 2017",
                D(2017, 6, 30),
                [
                    (
                        "Minimum of 10 schools to take part targeting schools with "
                        "underachieving vulnerable pupils who are currently not being supported "
                        "by targeted interventions",
                        SEPT16,
                    ),
                    ("Delivery of six training workshops", D(2017, 6, 30)),
                ],
            ),
            A(
                "4.3",
                "Complete the evaluation of the secondary schools 2015/16 pupil premium "
                "initiative and update the LA's Narrowing the Gap publication to include case "
                "studies of best practice in terms of strategies, interventions and use of "
                "pupil premium (to include the targeted work referred to in 4.1 and 4.2)",
                "HSI",
                "June 2016. Jan 2017",
                JAN17,
                [
                    (
                        "Evaluation and final report of the secondary school pupil premium "
                        "initiative",
                        D(2016, 6, 30),
                    ),
                    ("Updated Narrowing the Gap publication", JAN17),
                ],
            ),
            A(
                "4.4",
                "Strengthen the use of proven strategies to meet the needs of all learners who "
                "are new to English in particular through Reading Recovery (ECAR) and the Ethnic "
                "Minority Achievement Service (EMAS) focusing on some of the most vulnerable "
                "groups",
                "HSI",
                "From Sept 2016",
                None,
                [],
            ),
            A(
                "4.5",
                "Improve the outcomes for pupils on SEN Support or who have a EHCP by:\n"
                "- Extending the ordinarily available provision suite of documents to cover "
                "health, preschool and post-16\n- Develop a shared understanding of how we "
                "monitor 'good progress' for those on SEN support\n- Develop an offer of "
                "workforce development and support to promote good inclusive practice\n"
                "- Monitor the effectiveness of the outreach service (PENSP) on building "
                "capacity within mainstream schools\n- Develop school leadership via the SENCO "
                "network and through the annual inclusion conference",
                "HI",
                "2016/17",
                AY1617,
                [
                    "Extension of 'ordinarily available provision' suite of documents - "
                    "distributed to all schools with follow up support",
                    "Improved outcomes for SEND pupils in terms of progress and achievement "
                    "(refer to success measures) supported by better monitoring",
                ],
            ),
        ],
    },
    {
        "number": 5,
        "title": "Building on existing strengths make effective use of available school "
        "performance data, information and predictions and systematically analyse data in "
        "order to identify priorities and ensure that appropriate challenge and support can be "
        "given to school leaders and governors",
        "ofsted_areas": "1, 2 & 4",
        "success": [
            "A clear understanding within the partnership of the strengths and weaknesses and "
            "priorities for action",
            "Rigorous data analysis across all key stages, including in-year analysis, "
            "supported by data sharing agreements",
        ],
        "actions": [
            A(
                "5.1",
                "Establish data sharing agreements between the LA and schools / academies "
                "(under the auspices of the Portsmouth Education Partnership) whereby the LA "
                "collates in-year progress data for all year groups and all core subjects "
                "including a focus on disadvantaged pupils, boys and SEND, in addition to the "
                "suite of data the LA already draws upon",
                "SIM",
                "Agreements in place by Sept 2016. Fully developed by Sept 2017",
                SEPT17,
                [
                    ("Data sharing agreements established", SEPT16),
                    ("Annual programme of data analysis agreed", SEPT17),
                    ("New process for collecting in-year progress data", SEPT17),
                    (
                        "Internal reporting systems and processed designed for analysing "
                        "in-year progress data",
                        SEPT17,
                    ),
                ],
            ),
            A(
                "5.2",
                "Scrutinise and challenge school predictions at KS2 and KS4 through in-year "
                "analysis allowing for earlier intervention if required, rather than at the end "
                "of each Key Stage, linked to annual performance letters and follow up by School "
                "Improvement officer visits",
                "SIM",
                "As above. Termly",
                SEPT17,
                [
                    "Establish an Attendance Network to promote good practice across the city",
                    "Provide training for school governors on their role in relation to school "
                    "attendance",
                    "Data collection / data sharing protocols in place",
                ],
            ),
            A(
                "5.3",
                "Revise and strengthen the LA school profiles that are provided to all schools "
                "in order to highlight strengths and areas of development with a particular "
                "focus on disadvantaged pupils, boys and SEND.\nBuild on the good practice "
                "already in place in terms of training in the use of data for headteachers and "
                "governing bodies",
                "SIM",
                "By Sept 2016. Annual",
                SEPT16,
                [
                    "Revised school profiles",
                    "Individual School Improvement Plans updated to reflect areas of "
                    "development identified from the profiles",
                ],
            ),
        ],
    },
    {
        "number": 6,
        "title": "Accelerate improvements in school attendance particularly for vulnerable "
        "groups (LAC, SEND, young carers and children on child protection plans) and those of a "
        "secondary age",
        "ofsted_areas": "1",
        "success": [
            "Profile of attendance in schools raised so that all communities, parents & carers "
            "are aware of its importance and impact on achievement and life chances",
            "Reduction in overall absence and persistence absence in both primary and secondary "
            "schools (refer to success measures)",
        ],
        "actions": [
            A(
                "6.1",
                "Ensure parents meet their responsibilities to make their child(ren) attend "
                "school regularly:\n- Ensuring media messages regularly reinforce the link "
                "between good attendance and achievement at school and how this impacts "
                "positively on employment opportunities and other life outcomes\n- Highlighting "
                "the risks that are not going to school regularly can bring\n- Ensure parents "
                "understand their responsibilities and legal consequences\n- Ensure parents know "
                "what we mean by 'school ready'\n- Ensure schools and parents have access to "
                "information about recuperation timescales if their child is sick\n- Ensuring "
                "parents know who they can talk to if they have a concern about attendance",
                "HI",
                "2016/17. Termly messages to parents",
                AY1617,
                [
                    ("Attendance Strategy published", D(2016, 12, 31)),
                    (
                        "Communications / media campaign in place for 2016/17 - strong focus on "
                        "parents / carers",
                        SEPT16,
                    ),
                    (
                        "Market research completed to capture parent's views on what would help "
                        "them to support regular attendance",
                        AY1617,
                    ),
                ],
            ),
            A(
                "6.2",
                "Strengthen the challenge to schools and ensure schools have in place effective "
                "leadership and management of attendance:\n- LA to provide targeted support and "
                "training to school leaders and governors to promote best practice, make "
                "effective use of attendance data\n- Where school attendance rates are a cause "
                "for concern the LA will formally write to the Head/CoG requesting a response and "
                "where there is insufficient progress the LA will visit the school and if "
                "necessary issue a warning notice in accordance with the LA's support and "
                "intervention framework\n- Intelligence about attendance shared at LA's School "
                "Assessment Meetings (SAM)\n- Strengthen the information available to schools in "
                "terms of proven strategies / examples of best practice 'what works'; data "
                "reports",
                "HI",
                "2016/17",
                AY1617,
                [
                    ("Programme of targeted support and training in place from Sept 2016", SEPT16),
                    "Support and Intervention Framework updated",
                    "Publication of best practice from local schools in reducing absence",
                    "Traded Service offer updated to provide additional support to schools",
                    "Governors provided with a checklist of questions to help drive improvements "
                    "in attendance",
                ],
            ),
            A(
                "6.3",
                "- Partners provide additional needs based support that contributes to "
                "improvement in attendance\n- Provide meaningful pupil and school level "
                "attendance data for schools that helps to identify those who are known to be "
                "vulnerable / risk of becoming persistently absent\n- Schools and partners put "
                "in place effective approaches, assessments and plans for pupils where "
                "attendance is a concern",
                "I",
                "2016/17",
                AY1617,
                [
                    "Support partners in ensuring Early Help Profile is used by schools and "
                    "informs work with Multi Agency Teams",
                    "Ensure appropriate plans are in place, including Single Assessments, for "
                    "pupils who are chronic absentees.",
                ],
                leads=["HI"],
            ),
            A(
                "6.4",
                "Strengthen the profile of key attendance messages in the community with "
                "messages that inspire young people to think about plans and goals and where "
                "they want to go with their life; raising the profile of role models and key "
                "messages from local employers",
                "HI",
                "2016/17",
                AY1617,
                ["Communications / media campaign in place for 2016/17"],
            ),
            A(
                "6.5",
                "Develop and implement the school attendance marketing campaign 'Get involved' "
                "campaign with Capital FM Radio targeting Year 10 pupils in all secondary "
                "schools",
                "HI / DDCS",
                "By Sept 2016",
                SEPT16,
                [
                    (
                        "Consultation with secondary heads during the summer term 2016",
                        D(2016, 7, 22),
                    ),
                    ("Launch and implementation for 2016/17 academic year", SEPT16),
                ],
            ),
        ],
    },
    {
        "number": 7,
        "title": "Ensure all LA school improvement services are held firmly to account for their "
        "contribution to raising standards and promote effective integration of services to "
        "maximise the LA's impact on raising standards in schools",
        "ofsted_areas": "4 & 5",
        "success": [
            "Accountability for the impact of LA actions and use of resources is visible and "
            "measurable",
            "Monitoring is carried out routinely and summarised for Senior Management Team and "
            "Elected Members",
            "Members provide effective scrutiny and challenge",
        ],
        "actions": [
            A(
                "7.1",
                "Replace the Schools Standards and Improvement Group (SSIG) with a Member led "
                "Education Advisory Panel to enable elected Members to hold senior officers to "
                "account both for the direct provision of support and for the facilitation of "
                "partnership working",
                "DCS / CM",
                "From May 2016",
                MAY16,
                ["Education Advisory Panel is established"],
            ),
            A(
                "7.2",
                "Ensure robust monitoring and evaluation schedule is in place, with clear "
                "reporting lines to:\n- Education Advisory Panel\n- Cabinet Member for Children "
                "and Education\n- Children's Services DMT\n- The new education partnership",
                "DCS",
                "By Sept 2016",
                SEPT16,
                ["Monitoring and evaluation schedule is in place"],
            ),
            A(
                "7.3",
                "Implement the restructure of the Education Service and ensure that the "
                "effective features of school improvement services are shared across the service",
                "DDCS",
                "From May 2016",
                AY1617,
                [
                    ("New structure in place", SEPT16),
                    ("Virtual School moved from Inclusion to School Improvement", SEPT16),
                    (
                        "LA's School Improvement Service maintained and strengthened in 2016/17 "
                        "but with agreed transition in place to a school-led system underpinned "
                        "by the partnership",
                        AY1617,
                    ),
                ],
            ),
            A(
                "7.4",
                "Apply a greater level of scrutiny of LA maintained schools with excess "
                "surpluses, implementing more challenge and monitoring with respect to schools "
                "that are causing concern",
                "DCS",
                "From May 2016. Annual review, termly monitoring",
                AY1617,
                [
                    "Excessive surpluses reduced",
                    "Clear plans in place for schools with large surpluses - rigorously "
                    "monitored by the LA",
                ],
            ),
            A(
                "7.5",
                "Elected Members to regularly carry out scrutiny reviews in relation to school "
                "improvement, as part of the annual cycle",
                "DCS / CM",
                "From May 2016",
                None,
                [
                    "Annual cycle of scrutiny review agreed to include a focus on education and "
                    "school improvement / raising standards / improving outcomes for "
                    "disadvantaged, boys and SEND"
                ],
            ),
        ],
    },
    {
        "number": 8,
        "title": "Improve post-16 outcomes for young people with a particular focus on "
        "achievement and progression to skilled employment or higher education",
        "ofsted_areas": "1",
        "success": [
            "A collective focus on improving post-16 outcomes for young people in Portsmouth "
            "(refer to success measures)",
            "Increased profile of Apprenticeships and Traineeships linked to skill needs "
            "required by local employers",
            "Clear pathways to employment and Higher Education, supported by high quality "
            "careers information, advice and guidance",
        ],
        "actions": [
            A(
                "8.1",
                "Building on the work of the Post-16 Forum and Priority 3 of the Children's "
                "Trust, work with FE partners to improve achievement and progression to HE, "
                "Apprenticeships and skilled employment, ensuring there are more precise links "
                "between curriculum planning and the wider employment and skills agenda in "
                "Portsmouth.\nLinked to this, develop and implement a City wide Careers Guidance "
                "Strategy with support of key stakeholders including schools, post-16 providers, "
                "University of Portsmouth and local employers",
                "PCM EGM",
                "2016/17",
                AY1617,
                [
                    "Implementation of Year 3 of Priority 3 of the Children's Trust Plan",
                    "Post-16 Curriculum offer benchmarked against Solent LEP and local skills "
                    "requirements",
                    "Implementation of Careers Guidance Strategy",
                ],
            ),
            A(
                "8.2",
                "Building on the success of reducing the proportion of young people who are "
                "NEET and unknown, focus on disadvantaged and vulnerable learners (e.g. LAC and "
                "care leavers) and better tracking of them to ensure they are on appropriate "
                "pathways and receiving early support and intervention where needed to ensure "
                "they stay on track.\nDevelop further the availability of reengagement and "
                "pre-employment programmes for young people who are NEET",
                "PCM",
                "2016/17",
                AY1617,
                [
                    (
                        "Youth NEET Prevention Programme (Year 11 - Year 13) extended for a "
                        "second year April 2016 - March 2017; all secondary schools and FE "
                        "colleges taking part",
                        D(2017, 3, 31),
                    ),
                    (
                        "City Deal Youth Programme (16-24 year olds) Year 2 April 2016 - March "
                        "2017 - expanded to include a focus on LAC and care leavers",
                        D(2017, 3, 31),
                    ),
                ],
            ),
            A(
                "8.3",
                "Address gaps in provision particularly at Level 1 (including traineeships and "
                "pre-apprenticeship programmes as part of the Apprenticeship Strategy).\nReview "
                "progression pathways and support/intervention for young people with SEMH",
                "PCM",
                "2016/17",
                AY1617,
                [
                    "Apprenticeship Strategy and Action Plan published - Year 1 of "
                    "implementation in 2016/17",
                    "Specialist careers adviser appointed (one day a week) to support the "
                    "implementation",
                    "Implementation of Year 1 of the ESIF bid (focus on traineeships)",
                ],
            ),
        ],
    },
]

SEPT18 = D(2018, 9, 30)

# (area, description, measure code, pupil group, priority, target)
SUCCESS_MEASURES = [
    (
        "Early Years Foundation Stage",
        "We will maintain and improve on our high ranking nationally for all pupils and improve "
        "results for SEN pupils and boys to be in the top quartile of LAs by September 2018. "
        "The gap between disadvantaged pupils and their peers within Portsmouth will be closed "
        "to less than the gap nationally.",
        "eyfsp_gld",
        "all",
        4,
        "SEN pupils and boys in the top quartile of LAs; disadvantaged gap below the national gap",
    ),
    (
        "Key Stage 1",
        "We will maintain and improve on our high ranking nationally for all pupils and raise "
        "performance levels for higher level Writing to the top 50% of LAs by September 2018. "
        "We will ensure the high ranking of results for all pupils is emulated in outcomes for "
        "SEN pupils and boys at higher level writing and maths.",
        "ks1_writ_exp",
        "all",
        2,
        "Writing in the top 50% of LAs",
    ),
    (
        "Key Stage 2",
        "Our results have improved but are within the bottom 25% or 50% of authorities for "
        "nearly all indicators. We will accelerate improvement so that all indicators are "
        "within the top 50% of authorities by September 2018. Outcomes for disadvantaged "
        "pupils, boys and SEN pupils will see a halving of the gaps to their comparators.",
        "ks2_rwm_exp",
        "all",
        2,
        "All indicators in the top 50% of LAs; gaps for disadvantaged pupils, boys and SEN halved",
    ),
    (
        "Key Stage 4",
        "Our results have not seen any significant improvement in the last three years and "
        "remain within the bottom 25% of local authorities for the majority of indicators. We "
        "will ensure rapid improvement so that all indicators, including Ebacc achievement, "
        "Progress 8 and Attainment 8, are within the top 50% of authorities by September 2018. "
        "Outcomes for disadvantaged pupils, boys and SEN pupils will see a halving of the gaps "
        "to their comparators.",
        "ks4_p8",
        "all",
        2,
        "All indicators in the top 50% of LAs; gaps halved",
    ),
    (
        "Attendance",
        "Attendance levels have improved but are still in the bottom 25% nationally. We will "
        "ensure that overall absence and persistent absence rates for all schools are better "
        "than those nationally by September 2018.",
        "abs_overall_pct",
        "all",
        6,
        "Overall and persistent absence better than national",
    ),
    (
        "Ofsted judgements",
        "The percentage of Portsmouth's schools judged good or outstanding has improved "
        "substantially and is now in line with national. We will sustain this improvement and "
        "ensure that all schools are good or outstanding by September 2018.",
        "ofsted_schools_gob_pct",
        "all",
        2,
        "All schools good or outstanding",
    ),
    (
        "Participation at 16 and 17",
        "Participation in education and training at ages 16 & 17 has improved but is in the "
        "bottom 25% of local authorities. By September 2018 we will improve performance by at "
        "least 5 points and be within the top 50% of authorities.",
        "p16_participation_17",
        "all",
        8,
        "Up at least 5 points and in the top 50% of LAs",
    ),
    (
        "Achievement at 19",
        "Achievement at age 19 has improved but results are still a long way short of national "
        "(up to 8 percentage points below). We will halve the gaps to national for achievement "
        "at Level 2, Level 3 and GCSE English & Maths (for those who didn't achieve at age 16) "
        "by September 2018.",
        "p16_l3_by19",
        "all",
        8,
        "Gaps to national halved at Level 2, Level 3 and English & maths",
    ),
]
